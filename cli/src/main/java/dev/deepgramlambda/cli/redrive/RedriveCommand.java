package dev.deepgramlambda.cli.redrive;

import dev.deepgramlambda.cli.ExitStatus;
import dev.deepgramlambda.cli.HelpOption;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.aws.AwsLocation;
import dev.deepgramlambda.cli.stack.Deployment;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code deepgram-lambda redrive}: replays the failure queue's uploads to the transcription function. */
@Command(name = "redrive", sortOptions = false,
        header = "Show the uploads in the failure queue, and with --apply replay them to the transcription function.",
        description = {"Reads TranscribeFunction's failure queue (Lambda's on-failure records). For each message: the source object,"
                + " why Lambda gave up, and how long ago. A dry run by default. With --apply each event is invoked again"
                + " asynchronously, exactly as S3 sent it, and the message is deleted only after Lambda accepted it (202).",
                "Objects already transcribed are skipped by the function itself; objects deleted since, and messages that"
                + " are not understood, are reported and stay on the queue."},
        footer = {"", "Exit status: 0 done, 1 a message was not understood, Lambda refused an event, or AWS refused; 2 bad arguments."})
public final class RedriveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--stack-name", paramLabel = "NAME", required = true, description = "The CloudFormation stack sam deploy created.")
    String stackName;

    @Option(names = "--apply", description = "Replay the events and delete their messages (default: only show them).")
    boolean apply;

    @Option(names = "--max", paramLabel = "N", defaultValue = "100",
            description = "Replay (or show) at most N messages (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = AgeConverter.class, defaultValue = "0s",
            description = "Only failures at least this old, e.g. 30m, 2h, 1d (default: all).")
    Duration olderThan;

    @Mixin
    AwsLocation location;

    /** An unusable stack or AWS refusing is thrown to the root, which prints {@code error: why} and exits 1. */
    @Override
    public Integer call() throws Deployment.UnusableException {
        if (max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be at least 1, got " + max);
        }
        PrintWriter out = spec.commandLine().getOut();
        AwsTarget aws = location.account();
        Deployment deployment = Deployment.read(aws, stackName, List.of(Deployment.FAILURE_QUEUE_URL));
        String function = Deployment.physicalId(aws, stackName, Deployment.TRANSCRIBE_FUNCTION);
        out.println((apply ? "Redriving" : "Dry run of redriving") + " the failure queue of stack '" + stackName + "' ("
                + aws.describe() + ") to " + function);
        try (SqsClient sqs = aws.client(SqsClient.builder()); S3Client s3 = aws.s3(); LambdaClient lambda = aws.client(LambdaClient.builder())) {
            Map<Redrive.Outcome, Integer> outcomes = new Redrive(new FailureQueue(sqs, deployment.failureQueueUrl().orElseThrow()), s3,
                    new AsyncInvoker(lambda, function), Clock.systemUTC(), out).run(new Redrive.Options(apply, max, olderThan));
            return outcomes.containsKey(Redrive.Outcome.UNREADABLE) || outcomes.containsKey(Redrive.Outcome.REFUSED)
                    ? ExitStatus.FAILED : ExitStatus.OK;
        }
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601 such as {@code PT1H30M}. */
    static final class AgeConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhd])");

        @Override
        public Duration convert(String value) {
            Matcher matcher = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            try {
                Duration duration = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                if (!duration.isNegative()) {
                    return duration;
                }
            } catch (DateTimeParseException notIso) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a duration: use 90s, 30m, 2h, 1d or PT1H30M");
        }
    }
}
