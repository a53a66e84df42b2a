package dev.deepgramlambda.cli;

import dev.deepgramlambda.cli.load.LoadCommand;
import dev.deepgramlambda.cli.redrive.RedriveCommand;
import dev.deepgramlambda.cli.run.RunCommand;
import dev.deepgramlambda.cli.verify.VerifyCommand;
import dev.deepgramlambda.cli.run.StandInCommand;
import dev.deepgramlambda.cli.smoke.SmokeCommand;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code deepgram-lambda COMMAND [options]}: the operator's command line. Each subcommand is a
 * picocli {@link Command} whose options, defaults and help come from its annotations; adding one
 * is adding its class to {@code subcommands}. Commands do not refer back to this class: they get
 * their {@link Console} through their constructor (a no-argument one works too: picocli's own
 * output and error streams are the console's) and exit with {@link ExitStatus}.
 */
@Command(name = "deepgram-lambda",
        description = "Transcription with Deepgram on AWS Lambda: run the function on this machine, and test a deployed stack.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'deepgram-lambda COMMAND --help' for a command's options.",
                "Exit status: 0 done or PASS, 1 the transcription or a check failed (or AWS refused), 2 bad arguments."},
        subcommands = {
                RunCommand.class,
                SmokeCommand.class,
                LoadCommand.class,
                StandInCommand.class,
                VerifyCommand.class,
                RedriveCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class DeepgramLambda implements Callable<Integer> {
    private static final int HELP_WIDTH = 100;
    private static final Pattern GROUP_MATCH = Pattern.compile("=\\{([^}]*)}");

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    public static void main(String[] args) {
        System.exit(run(args, Console.system()));
    }

    /** Runs one command line against {@code console}; returns the exit status. */
    public static int run(String[] args, Console console) {
        return commandLine(console).execute(args);
    }

    static CommandLine commandLine(Console console) {
        CommandLine line = new CommandLine(DeepgramLambda.class, new ConsoleFactory(console));
        line.setOut(new PrintWriter(console.out(), true));
        line.setErr(new PrintWriter(console.err(), true));
        line.setUsageHelpWidth(HELP_WIDTH);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler(DeepgramLambda::badCommandLine);
        line.setExecutionExceptionHandler((e, failed, parsed) -> failure(e, failed));
        layOut(line);
        line.getSubcommands().values().forEach(DeepgramLambda::layOut);
        return line;
    }

    /**
     * One layout for every command's help, unless it sets its own: the usage line first (a command's
     * header is its line in the list of commands), then the description, arguments and options under
     * headings.
     */
    private static void layOut(CommandLine command) {
        UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        if (command.getCommandSpec().parent() != null) {
            List<String> sections = new ArrayList<>(command.getHelpSectionKeys());
            sections.removeAll(List.of(UsageMessageSpec.SECTION_KEY_HEADER_HEADING, UsageMessageSpec.SECTION_KEY_HEADER));
            command.setHelpSectionKeys(sections);
        }
        if (usage.descriptionHeading().isEmpty()) {
            usage.descriptionHeading("%n");
        }
        if (usage.parameterListHeading().isEmpty()) {
            usage.parameterListHeading("%nArguments:%n");
        }
        if (usage.optionListHeading().isEmpty()) {
            usage.optionListHeading("%nOptions:%n");
        }
    }

    /** No command given: the overview, on stderr, as a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing COMMAND");
    }

    /** What is wrong and how to get help; the root's mistakes (no or an unknown command) get the overview. */
    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + message(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        if (command.getCommandSpec().parent() == null) {
            err.println();
            command.usage(err);
        } else {
            err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        return ExitStatus.USAGE;
    }

    /**
     * picocli's message, shortened where it spells out whole argument groups: two exclusive options
     * given inside an enclosing group (load's {@code --local --stand-in --secret-id x}) are reported
     * as two matches of the enclosing group, each followed by {@code ={the options it took}}.
     */
    static String message(ParameterException e) {
        // picocli starts some of its messages with "Error: " already
        String message = e.getMessage().replaceFirst("^Error: ", "");
        if (e instanceof MaxValuesExceededException && message.startsWith("expected only one match")) {
            List<String> matches = GROUP_MATCH.matcher(message).results().map(m -> m.group(1)).toList();
            if (matches.size() == 2) {
                return matches.get(1) + " cannot be combined with " + matches.get(0);
            }
        }
        return message;
    }

    /** A bad input found after parsing is a usage error; anything else failed, and says why in one line. */
    private static int failure(Exception e, CommandLine command) {
        PrintWriter err = command.getErr();
        if (e instanceof UsageException) {
            err.println("error: " + e.getMessage());
            err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitStatus.USAGE;
        }
        err.println("error: " + describe(e));
        return ExitStatus.FAILED;
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

    /** Builds commands that take the {@link Console} in their constructor; everything else as picocli would. */
    private record ConsoleFactory(Console console) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Console.class) {
                    return type.cast(constructor.newInstance(console));
                }
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
