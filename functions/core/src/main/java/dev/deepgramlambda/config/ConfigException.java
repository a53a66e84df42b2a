package dev.deepgramlambda.config;

import java.util.List;

/** The function's environment is invalid. Lists every problem at once so one deploy fixes them all. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("Invalid configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
