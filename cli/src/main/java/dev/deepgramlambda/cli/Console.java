package dev.deepgramlambda.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command writes and what it reads from its surroundings: passed in rather than taken from
 * {@link System}, so tests run commands in-process and read what they print.
 *
 * @param interactive a terminal that redraws a progress line in place; otherwise progress comes as
 *     occasional plain lines, which logs and CI keep readable
 */
public record Console(PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {
    public Console {
        env = Map.copyOf(env);
    }

    public static Console system() {
        return new Console(System.out, System.err, System.getenv(), System.console() != null);
    }

    /** An environment variable, empty when unset or blank. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }
}
