package dev.deepgramlambda.cli;

/** The command line is wrong: the message says what and how to fix it; the exit status is 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
