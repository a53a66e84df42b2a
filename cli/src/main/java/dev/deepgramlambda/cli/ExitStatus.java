package dev.deepgramlambda.cli;

/** The CLI's exit statuses, the same for every command (picocli's own for help and usage errors). */
public final class ExitStatus {
    /** Done, transcribed, or every check passed. */
    public static final int OK = 0;
    /** The transcription or a check failed, or AWS refused. */
    public static final int FAILED = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;

    private ExitStatus() {}
}
