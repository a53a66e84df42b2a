package dev.deepgramlambda.cli;

import dev.deepgramlambda.cli.load.LoadCommand;
import dev.deepgramlambda.cli.redrive.RedriveCommand;
import dev.deepgramlambda.cli.run.RunCommand;
import dev.deepgramlambda.cli.run.StandInCommand;
import dev.deepgramlambda.cli.smoke.SmokeCommand;
import dev.deepgramlambda.cli.verify.VerifyCommand;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code deepgram-lambda run | smoke | load | stand-in | verify | redrive}. Exit status: 0 done or PASS, 1 the
 * transcription or a check failed (or AWS refused), 2 the command line is wrong.
 */
public final class Main {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final List<Command> COMMANDS = List.of(new RunCommand(), new SmokeCommand(), new LoadCommand(), new StandInCommand());
    /** Commands already written for picocli; they move under the picocli root command with the others. */
    private static final List<Supplier<Object>> PICOCLI_COMMANDS = List.of(VerifyCommand::new, RedriveCommand::new);

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    public static int run(String[] args, Console console) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? console.err() : console.out()).print(overview());
            return args.length == 0 ? USAGE : OK;
        }
        for (Supplier<Object> picocliCommand : PICOCLI_COMMANDS) {
            picocli.CommandLine line = new picocli.CommandLine(picocliCommand.get());
            if (line.getCommandName().equals(args[0])) {
                return line.setCommandName(CommandLine.PROGRAM + " " + args[0]).setOut(new PrintWriter(console.out(), true)).setErr(new PrintWriter(console.err(), true))
                        .execute(Arrays.copyOfRange(args, 1, args.length));
            }
        }
        Optional<Command> command = COMMANDS.stream().filter(c -> c.spec().command().equals(args[0])).findFirst();
        if (command.isEmpty()) {
            console.err().println("error: unknown command '" + args[0] + "'\n");
            console.err().print(overview());
            return USAGE;
        }
        CommandLine.Spec spec = command.get().spec();
        try {
            CommandLine arguments = CommandLine.parse(spec, Arrays.asList(args).subList(1, args.length));
            if (arguments.helpRequested()) {
                console.out().print(spec.usage());
                return OK;
            }
            return command.get().run(arguments, console);
        } catch (UsageException e) {
            console.err().println("error: " + e.getMessage());
            console.err().println("Run '" + CommandLine.PROGRAM + " " + spec.command() + " --help' for usage.");
            return USAGE;
        } catch (RuntimeException e) {
            console.err().println("error: " + describe(e));
            return FAILED;
        }
    }

    /** The failure and its causes in one line: AWS and I/O errors say what went wrong in their messages. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }

    static String overview() {
        StringBuilder text = new StringBuilder("Usage: " + CommandLine.PROGRAM + " COMMAND [options]\n\nCommands:\n");
        COMMANDS.forEach(c -> text.append(String.format("  %-10s%s%n", c.spec().command(), c.spec().brief())));
        PICOCLI_COMMANDS.stream().map(c -> new picocli.CommandLine(c.get())).forEach(c -> text.append(
                String.format("  %-10s%s%n", c.getCommandName(), c.getCommandSpec().usageMessage().header()[0])));
        text.append("\nRun '").append(CommandLine.PROGRAM).append(" COMMAND --help' for a command's options.\n");
        return text.toString();
    }
}
