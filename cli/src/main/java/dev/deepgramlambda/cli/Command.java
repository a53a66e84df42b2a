package dev.deepgramlambda.cli;

/** One subcommand: what it accepts, and what it does with it. */
public interface Command {
    CommandLine.Spec spec();

    /** @return the process exit status: 0 success, 1 the check or transcription failed */
    int run(CommandLine arguments, Console console) throws UsageException;
}
