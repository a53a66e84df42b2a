package dev.deepgramlambda.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} for a command, as a picocli mixin ({@code @Mixin HelpOption help;}). Declared
 * per command rather than inherited from the root, so a command that brings its own (picocli's
 * {@code help} subcommand, {@code mixinStandardHelpOptions}) does not clash with it.
 */
public final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean requested;
}
