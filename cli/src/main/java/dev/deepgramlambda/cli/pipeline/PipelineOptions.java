package dev.deepgramlambda.cli.pipeline;

import dev.deepgramlambda.cli.Bounds;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.aws.AwsLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How to set up the pipeline around the function on this machine: the options {@code run} and
 * {@code load --local} share, as a picocli argument group (load puts it under {@code --local}, so
 * they cannot be given for a deployed stack), with {@link DeepgramKey} beside it. A new instance
 * holds the defaults.
 */
public final class PipelineOptions {
    public static final String AWS = "--aws";
    public static final String BUCKET = "--bucket";
    public static final String SECRET_ID = "--secret-id";
    public static final String STAND_IN = "--stand-in";
    public static final String MEMORY = "--memory";
    public static final String TASK_ROOT = "--task-root";
    /**
     * Also the field's initial value: picocli applies option defaults to a group it creates, not to
     * one that load's --local group holds unmatched.
     */
    private static final int DEFAULT_MEMORY_MB = 1024;

    /** How the function gets the audio: {@code AUDIO_SOURCE}. */
    public enum AudioSource {
        URL, STREAM;

        String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Which Deepgram key the function uses: the stand-in's, or the one in an existing secret; never
     * both. An exclusive argument group of its own, beside the pipeline's: picocli names the two
     * options in its error only when the exclusive group is not nested in another group.
     */
    public static final class DeepgramKey {
        @Option(names = STAND_IN, description = "Call the bundled Deepgram stand-in instead of Deepgram (no key needed).")
        private boolean standIn;

        @Option(names = SECRET_ID, paramLabel = "ID", description = "With --aws: an existing secret holding the Deepgram key "
                + "(default: a temporary secret made from DEEPGRAM_API_KEY, deleted afterwards).")
        private String secretId;

        public boolean standIn() {
            return standIn;
        }

        public Optional<String> secretId() {
            return Optional.ofNullable(secretId);
        }
    }

    @Spec
    private CommandSpec spec;

    @Option(names = AWS, description = "Use your AWS account (default credential chain) instead of the local emulator; "
            + "--region and --endpoint-url apply to it, and only with --aws.")
    private boolean aws;

    @Option(names = BUCKET, paramLabel = "NAME",
            description = "The bucket to upload to (required with --aws; default deepgram-lambda-local).")
    private String bucket;

    @Option(names = "--model", paramLabel = "MODEL", description = "Deepgram model, DEEPGRAM_MODEL (function default nova-3).")
    private String model;

    @Option(names = "--options", paramLabel = "QUERY",
            description = "Deepgram options, DEEPGRAM_OPTIONS, e.g. 'smart_format=true&diarize=true'.")
    private String deepgramOptions;

    @Option(names = "--audio-source", paramLabel = "url|stream", description = "AUDIO_SOURCE (default: stream locally, url with --aws; "
            + "Deepgram cannot fetch a URL of the local emulator).")
    private AudioSource audioSource;

    private int memoryMb = DEFAULT_MEMORY_MB;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "Any other function environment variable; repeatable.")
    private Map<String, String> environment = new HashMap<>();

    @Option(names = TASK_ROOT, paramLabel = "DIR", description = "A function package to run instead (jars in DIR/lib), "
            + "such as sam build's .aws-sam/build/TranscribeFunction.")
    private Path taskRoot;

    @Option(names = MEMORY, paramLabel = "MB", defaultValue = "" + DEFAULT_MEMORY_MB,
            description = "The function's memory size, 128 to 10240 (default ${DEFAULT-VALUE}; heap is 85 %% of it).")
    void memoryMb(int value) {
        memoryMb = Bounds.within(spec, MEMORY, value, 128, 10_240);
    }

    /**
     * What picocli cannot check on its own: the options that only make sense for an AWS account, and a
     * task root that is a function package.
     */
    void check(AwsLocation location, DeepgramKey key) throws UsageException {
        if (!aws) {
            if (location.given() || key.secretId != null) {
                String given = location.region().isPresent() ? AwsLocation.REGION
                        : location.endpoint().isPresent() ? AwsLocation.ENDPOINT_URL : SECRET_ID;
                throw new UsageException(given + " applies to your AWS account: add " + AWS);
            }
        } else if (bucket == null) {
            throw new UsageException(BUCKET + " is required with " + AWS + " (an existing bucket in your account)");
        }
        if (taskRoot != null && !Files.isDirectory(taskRoot.resolve("lib"))) {
            throw new UsageException(TASK_ROOT + " " + taskRoot + " is not a function package (no lib/ folder of jars)");
        }
    }

    public boolean aws() {
        return aws;
    }

    public Optional<String> bucket() {
        return Optional.ofNullable(bucket);
    }

    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    public Optional<String> deepgramOptions() {
        return Optional.ofNullable(deepgramOptions);
    }

    /** {@code url} or {@code stream}: as given, else the default of the AWS mode. */
    public String audioSource() {
        return audioSource != null ? audioSource.value() : aws ? AudioSource.URL.value() : AudioSource.STREAM.value();
    }

    public int memoryMb() {
        return memoryMb;
    }

    /** Extra function environment variables ({@code --env}), applied over everything else. */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** Another function package to run (e.g. {@code .aws-sam/build/TranscribeFunction}). */
    public Optional<Path> taskRoot() {
        return Optional.ofNullable(taskRoot);
    }
}
