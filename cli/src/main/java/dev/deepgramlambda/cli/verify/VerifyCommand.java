package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.ExitStatus;
import dev.deepgramlambda.cli.HelpOption;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.AwsLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code deepgram-lambda verify}: the go-live check of a deployed stack. */
@Command(name = "verify", sortOptions = false,
        header = "Check a deployed stack against the go-live checklist (alarms, subscriptions, secret, trigger, health).",
        description = "Checks a deployed stack against the production checklist: alarms, alert subscriptions, the Deepgram "
                + "secret and its rotation, the S3 trigger, concurrency, the failure queue, log retention and health.",
        footer = {"", "One line per item (PASS, WARN or FAIL with its evidence), then a summary. Secret values are never printed.",
                "Exit status: 0 no item failed (warnings allowed), 1 an item failed or AWS refused, 2 bad arguments."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--stack-name", paramLabel = "NAME", description = "The CloudFormation stack sam deploy created "
            + "(default: the stack_name of samconfig.toml's environment).")
    String stackName;

    @Option(names = "--config-env", paramLabel = "ENV", defaultValue = "default",
            description = "samconfig.toml environment to take the stack name and region from, as sam deploy --config-env (default: ${DEFAULT-VALUE}).")
    String configEnv;

    @Option(names = "--config-file", paramLabel = "FILE", defaultValue = "samconfig.toml",
            description = "The SAM configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Mixin
    AwsLocation location;

    @Option(names = "--deepgram-concurrency-limit", paramLabel = "N",
            description = "Your Deepgram project's concurrent pre-recorded request limit (default: "
                    + DeepgramLimits.PAY_AS_YOU_GO_PRERECORDED + ", " + DeepgramLimits.SOURCE + ").")
    Integer deepgramLimit;

    @Option(names = "--json", description = "Print one JSON document (items, verdicts, evidence, summary) for CI pipelines.")
    boolean json;

    /** A samconfig.toml that names no stack, or AWS refusing, is thrown to the root, which prints {@code error: why} and exits 1. */
    @Override
    public Integer call() throws IOException {
        if (deepgramLimit != null && deepgramLimit < 1) {
            throw new ParameterException(spec.commandLine(), "--deepgram-concurrency-limit must be at least 1, got " + deepgramLimit);
        }
        String stack = stackName;
        Optional<String> configuredRegion = Optional.empty();
        if (stack == null) {
            SamConfig config = SamConfig.read(configFile, configEnv);
            stack = config.stackName().orElseThrow(() -> new IOException(configFile + " [" + configEnv + "] names no stack_name"));
            configuredRegion = config.region();
        }
        AwsTarget aws = AwsTarget.account(location.region().isPresent() ? location.region() : configuredRegion, location.endpoint());
        Report report = new Report(stack, aws.describe(), new StackVerifier(aws,
                deepgramLimit != null ? deepgramLimit : DeepgramLimits.PAY_AS_YOU_GO_PRERECORDED,
                deepgramLimit != null ? "given with --deepgram-concurrency-limit" : DeepgramLimits.SOURCE,
                Clock.systemUTC()).verify(stack));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            report.printJson(out);
        } else {
            report.printText(out);
        }
        return report.failed() ? ExitStatus.FAILED : ExitStatus.OK;
    }
}
