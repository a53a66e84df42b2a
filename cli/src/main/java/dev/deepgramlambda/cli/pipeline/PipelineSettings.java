package dev.deepgramlambda.cli.pipeline;

import dev.deepgramlambda.cli.CommandLine;
import dev.deepgramlambda.cli.CommandLine.Option;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.stack.StackOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to set up the pipeline around the function on this machine, from the options {@code run} and
 * {@code load --local} share.
 *
 * @param audioSource {@code url} or {@code stream}; empty for the default of the AWS mode
 * @param environment extra function environment variables ({@code --env}), applied last
 * @param taskRoot another function package to run (e.g. {@code .aws-sam/build/TranscribeFunction})
 */
public record PipelineSettings(
        boolean aws,
        Optional<String> bucket,
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<String> secretId,
        boolean standIn,
        Optional<String> model,
        Optional<String> deepgramOptions,
        Optional<String> audioSource,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment,
        Optional<Path> taskRoot) {

    public static final String AWS = "--aws";
    public static final String BUCKET = "--bucket";
    public static final String REGION = StackOptions.REGION;
    public static final String ENDPOINT_URL = StackOptions.ENDPOINT_URL;
    public static final String SECRET_ID = "--secret-id";
    public static final String STAND_IN = "--stand-in";
    public static final String MODEL = "--model";
    public static final String OPTIONS = "--options";
    public static final String AUDIO_SOURCE = "--audio-source";
    public static final String MEMORY = "--memory";
    public static final String TIMEOUT = "--timeout";
    public static final String ENV = "--env";
    public static final String TASK_ROOT = "--task-root";

    public static final List<Option> OPTIONS_SPEC = List.of(
            Option.flag(AWS, "Use your AWS account (default credential chain) instead of the local emulator."),
            Option.value(BUCKET, "NAME", "The bucket to upload to (required with --aws; default deepgram-lambda-local)."),
            Option.value(REGION, "REGION", "With --aws: the region (default: AWS_REGION or your profile's)."),
            Option.value(ENDPOINT_URL, "URL", "With --aws: send AWS requests here instead (an emulator such as\n"
                    + "LocalStack or moto_server already running)."),
            Option.value(SECRET_ID, "ID", "With --aws: an existing secret holding the Deepgram key (default: a\n"
                    + "temporary secret made from DEEPGRAM_API_KEY, deleted afterwards)."),
            Option.flag(STAND_IN, "Call the bundled Deepgram stand-in instead of Deepgram (no key needed)."),
            Option.value(MODEL, "MODEL", "Deepgram model, DEEPGRAM_MODEL (function default nova-3)."),
            Option.value(OPTIONS, "QUERY", "Deepgram options, DEEPGRAM_OPTIONS, e.g. 'smart_format=true&diarize=true'."),
            Option.value(AUDIO_SOURCE, "url|stream", "AUDIO_SOURCE (default: stream locally, url with --aws; Deepgram\n"
                    + "cannot fetch a URL of the local emulator)."),
            Option.value(MEMORY, "MB", "The function's memory size (default 1024; heap is 85 % of it)."),
            Option.value(TIMEOUT, "SECONDS", "The function's timeout (default 180, the template's)."),
            Option.repeatable(ENV, "NAME=VALUE", "Any other function environment variable; repeatable."),
            Option.value(TASK_ROOT, "DIR", "Run this function package instead (jars in DIR/lib), e.g.\n"
                    + ".aws-sam/build/TranscribeFunction after sam build."));

    public PipelineSettings {
        environment = Map.copyOf(environment);
    }

    public static PipelineSettings from(CommandLine arguments) throws UsageException {
        boolean aws = arguments.flag(AWS);
        if (!aws) {
            for (String awsOnly : List.of(REGION, ENDPOINT_URL, SECRET_ID)) {
                if (arguments.value(awsOnly).isPresent()) {
                    throw new UsageException(awsOnly + " applies to your AWS account: add --aws");
                }
            }
        } else if (arguments.value(BUCKET).isEmpty()) {
            throw new UsageException(BUCKET + " is required with --aws (an existing bucket in your account)");
        }
        if (arguments.flag(STAND_IN) && arguments.value(SECRET_ID).isPresent()) {
            throw new UsageException(STAND_IN + " uses its own key; it cannot be combined with " + SECRET_ID);
        }
        Optional<String> audioSource = arguments.value(AUDIO_SOURCE).isPresent()
                ? Optional.of(arguments.choice(AUDIO_SOURCE, "", List.of("url", "stream"))) : Optional.empty();
        Optional<Path> taskRoot = arguments.value(TASK_ROOT).map(Path::of);
        if (taskRoot.isPresent() && !Files.isDirectory(taskRoot.get().resolve("lib"))) {
            throw new UsageException(TASK_ROOT + " " + taskRoot.get() + " is not a function package (no lib/ folder of jars)");
        }
        return new PipelineSettings(aws, arguments.value(BUCKET), arguments.value(REGION), arguments.httpUri(ENDPOINT_URL),
                arguments.value(SECRET_ID),
                arguments.flag(STAND_IN), arguments.value(MODEL), arguments.value(OPTIONS), audioSource,
                arguments.integer(MEMORY, 1024, 128, 10_240), arguments.seconds(TIMEOUT, 180, 1, 900),
                arguments.pairs(ENV), taskRoot);
    }
}
