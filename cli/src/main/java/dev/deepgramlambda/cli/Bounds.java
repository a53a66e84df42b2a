package dev.deepgramlambda.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The range check of a numeric option, called from the option's setter: picocli calls it while it
 * parses, so a value out of range is a usage error like any other, reported before anything runs.
 */
public final class Bounds {
    private Bounds() {}

    public static int within(CommandSpec spec, String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
