package dev.deepgramlambda.cli.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.cli.Audio;
import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.aws.AwsLocation;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.TranscriptStore;
import dev.deepgramlambda.cli.runtime.ExecutionEnvironment;
import dev.deepgramlambda.cli.runtime.FunctionDefinition;
import dev.deepgramlambda.cli.runtime.LambdaLayout;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.config.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3ResponseMetadata;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

/**
 * TranscribeFunction's surroundings on this machine: AWS (moto_server on loopback, or your account),
 * the audio bucket, the secret holding the Deepgram key, Deepgram itself, and the function's
 * definition with the environment its template would give it. The CLI plays S3's notification:
 * {@link #upload} returns what the event needs, and the caller hands it to an execution environment.
 */
public final class LocalPipeline implements AutoCloseable {
    public static final String LOCAL_BUCKET = "deepgram-lambda-local";
    public static final String LOCAL_SECRET = "deepgram-lambda-local/deepgram-api-key";
    public static final String SERVICE = "deepgram-lambda-local";
    public static final String FUNCTION_NAME = "TranscribeFunction";
    public static final String HANDLER = "dev.deepgramlambda.transcribe.TranscribeHandler::handleRequest";
    public static final String SWEEP_NAME = "CallbackSweepFunction";
    public static final String SWEEP_HANDLER = "dev.deepgramlambda.transcribe.CallbackSweepHandler::handleRequest";
    /** The template's timeout of CallbackSweepFunction. */
    private static final Duration SWEEP_TIMEOUT = Duration.ofSeconds(300);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsTarget aws;
    private final DeepgramAccess deepgram;
    private final S3Client s3;
    private final String bucket;
    private final String secretId;
    private final boolean temporarySecret;
    private final FunctionDefinition function;
    private final TranscriptStore store;

    private LocalPipeline(AwsTarget aws, DeepgramAccess deepgram, String bucket, String secretId, boolean temporarySecret,
                          FunctionDefinition function) {
        this.aws = aws;
        this.deepgram = deepgram;
        this.s3 = aws.s3();
        this.bucket = bucket;
        this.secretId = secretId;
        this.temporarySecret = temporarySecret;
        this.function = function;
        this.store = new TranscriptStore(s3, function.environment().getOrDefault("OUTPUT_BUCKET", bucket),
                function.environment().getOrDefault("OUTPUT_PREFIX", "transcripts/"));
    }

    /**
     * Checks what can be checked before anything starts (the options, the Deepgram key above all), then
     * starts moto_server (unless {@code --aws}), and creates the bucket and secret the function needs.
     *
     * @param location the AWS account's region and endpoint, with {@code --aws}
     * @param timeout the function's timeout
     * @param callbacks how callback delivery was asked for (e.g. {@code --callback}), if it was
     */
    public static LocalPipeline start(PipelineOptions settings, PipelineOptions.DeepgramKey key, AwsLocation location,
                                      Duration timeout, Optional<String> callbacks, Console console) throws UsageException {
        settings.check(location, key);
        DeepgramAccess deepgram = DeepgramAccess.resolve(console, key.standIn(), key.secretId().isPresent());
        if (callbacks.isPresent() && deepgram.real() && (!settings.aws() || location.endpoint().isPresent())) {
            deepgram.close();
            // Deepgram PUTs its result to a presigned URL of the pipeline's S3: an emulator on loopback is out of its reach.
            throw new UsageException(callbacks.get() + " cannot work with the real Deepgram and a local AWS emulator: Deepgram would "
                    + "have to PUT its result to a presigned URL of the emulator on this machine's loopback, which it cannot reach. Use "
                    + PipelineOptions.STAND_IN + " (its callbacks PUT into the emulator for real), or " + PipelineOptions.AWS
                    + " with a bucket of yours.");
        }
        String audioSource = settings.audioSource();
        if (!settings.aws() && audioSource.equals("url") && deepgram.real()) {
            deepgram.close();
            throw new UsageException("--audio-source url cannot work with the local emulator: Deepgram would have to fetch "
                    + "a presigned URL pointing at this machine's loopback. Use stream (the default here) or --aws.");
        }
        LambdaLayout layout = LambdaLayout.locate(settings.taskRoot());
        try {
            // fails here, before anything starts, when the layout is not built or this machine cannot run the client
            layout.nativeClient();
            AwsTarget aws = settings.aws()
                    ? location.account()
                    : AwsTarget.emulator(MotoServer.shared().endpoint());
            String bucket = settings.bucket().orElse(LOCAL_BUCKET);
            try (S3Client s3 = aws.s3()) {
                prepareBucket(aws, s3, bucket, !settings.aws());
            }
            boolean temporary = key.secretId().isEmpty() && settings.aws();
            String secretId = key.secretId().orElse(temporary ? "deepgram-lambda-run/" + UUID.randomUUID() : LOCAL_SECRET);
            FunctionDefinition function = new FunctionDefinition(FUNCTION_NAME, HANDLER, layout, settings.memoryMb(), timeout,
                    functionEnvironment(settings, console, aws, deepgram, secretId, audioSource));
            if (key.secretId().isEmpty()) {
                storeKey(aws, secretId, deepgram.apiKey().orElseThrow());
            }
            return new LocalPipeline(aws, deepgram, bucket, secretId, temporary, function);
        } catch (RuntimeException e) {
            deepgram.close();
            throw e;
        }
    }

    /** The embedded emulator gets the bucket made; an account's bucket must exist (the CLI creates nothing lasting there). */
    private static void prepareBucket(AwsTarget aws, S3Client s3, String bucket, boolean embeddedEmulator) {
        if (embeddedEmulator) {
            try {
                s3.createBucket(r -> r.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // a previous run in this emulator made it
            }
            return;
        }
        try {
            s3.headBucket(r -> r.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new IllegalStateException("bucket '" + bucket + "' does not exist in " + aws.describe() + ": create it or pass another --bucket");
        } catch (S3Exception e) {
            throw new IllegalStateException("cannot use bucket '" + bucket + "' (HTTP " + e.statusCode() + "): it may be in another region "
                    + "(--region) or not yours");
        }
    }

    /** The secret in the JSON shape the function reads; an existing local one is overwritten. */
    private static void storeKey(AwsTarget aws, String secretId, String apiKey) {
        String secret = JSON.createObjectNode().put("apiKey", apiKey).toString();
        try (SecretsManagerClient secrets = aws.client(SecretsManagerClient.builder())) {
            try {
                secrets.createSecret(r -> r.name(secretId).secretString(secret)
                        .description("Deepgram API key for a deepgram-lambda run command"));
            } catch (ResourceExistsException e) {
                secrets.putSecretValue(r -> r.secretId(secretId).secretString(secret));
            }
        }
    }

    /**
     * What the SAM template would set, from lowest to highest precedence: {@code DEEPGRAM_*} variables
     * of this shell (never DEEPGRAM_API_KEY: the key travels in the secret), the secret and Deepgram
     * chosen here, {@code --model}/{@code --options}, Lambda's AWS variables, and {@code --env}.
     */
    private static Map<String, String> functionEnvironment(PipelineOptions settings, Console console, AwsTarget aws,
                                                           DeepgramAccess deepgram, String secretId, String audioSource) {
        Map<String, String> env = new LinkedHashMap<>();
        console.env().forEach((name, value) -> {
            if (name.startsWith("DEEPGRAM_") && !name.equals(DeepgramAccess.API_KEY)) {
                env.put(name, value);
            }
        });
        env.put(Settings.DEEPGRAM_SECRET_ID.name(), secretId);
        env.put(Settings.DEEPGRAM_BASE_URL.name(), deepgram.baseUrl());
        env.put("AUDIO_SOURCE", audioSource);
        env.put(Settings.SERVICE_NAME.name(), SERVICE);
        env.put(Settings.CALLBACK_PREFIX.name(), Settings.CALLBACK_PREFIX.defaultValue());
        settings.model().ifPresent(model -> env.put("DEEPGRAM_MODEL", model));
        settings.deepgramOptions().ifPresent(options -> env.put("DEEPGRAM_OPTIONS", options));
        env.putAll(aws.lambdaEnvironment());
        env.putAll(settings.environment());
        return env;
    }

    /** Uploads {@code audio} as {@code key}; returns the object as S3's notification describes it. */
    public S3Notification.Upload upload(Audio audio, String key, Map<String, String> metadata) {
        PutObjectResponse response = store.upload(key, audio.body(), audio.contentType(), metadata);
        S3ResponseMetadata s3Metadata = response.responseMetadata();
        return S3Notification.Upload.of(bucket, key, audio.size(), response.eTag())
                .withVersionId(response.versionId())
                .withRequest(s3Metadata.requestId(), s3Metadata.extendedRequestId());
    }

    /** The notification Lambda would receive for {@code upload}, created now. */
    public byte[] notification(S3Notification.Upload upload) {
        return S3Notification.objectCreated().region(aws.region().id()).add(upload).build().toBytes();
    }

    /**
     * Deepgram's results under {@code {CALLBACK_PREFIX}results/} from now on, handed over as S3's
     * notification would; results already there (earlier runs against the same bucket) are not.
     */
    public CallbackResults callbackResults() {
        String callbackBucket = function.environment().getOrDefault(Settings.CALLBACK_BUCKET.name(), bucket);
        CallbackResults results = new CallbackResults(s3, callbackBucket, function.environment().get(Settings.CALLBACK_PREFIX.name()) + "results/");
        results.arrived();
        return results;
    }

    /** CallbackSweepFunction as the template defines it: TranscribeFunction's settings, and the bucket named (no event names it). */
    public FunctionDefinition sweepFunction() {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putIfAbsent(Settings.CALLBACK_BUCKET.name(), bucket);
        return new FunctionDefinition(SWEEP_NAME, SWEEP_HANDLER, function.layout(), function.memoryMb(), SWEEP_TIMEOUT, env);
    }

    public ExecutionEnvironment startEnvironment(Consumer<String> liveOutput) {
        return ExecutionEnvironment.start(function, liveOutput);
    }

    public AwsTarget aws() {
        return aws;
    }

    public DeepgramAccess deepgram() {
        return deepgram;
    }

    public FunctionDefinition function() {
        return function;
    }

    public TranscriptStore store() {
        return store;
    }

    /** Stops the stand-in and deletes a temporary secret (at once: it only ever held this run's key). */
    @Override
    public void close() {
        try {
            if (temporarySecret) {
                try (SecretsManagerClient secrets = aws.client(SecretsManagerClient.builder())) {
                    secrets.deleteSecret(r -> r.secretId(secretId).forceDeleteWithoutRecovery(true));
                }
            }
        } finally {
            s3.close();
            deepgram.close();
        }
    }
}
