package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import dev.deepgramlambda.secrets.SecretCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * TranscribeFunction: S3 {@code ObjectCreated} notifications in, transcripts out.
 *
 * <p>Lambda creates one instance per container, so everything built in the constructor (S3 and
 * Secrets Manager clients, the Deepgram client with its connection pool and circuit breaker, the
 * secret cache) is reused by every warm invocation.
 */
public final class TranscribeHandler implements RequestHandler<S3Event, Void> {
    private final RecordTranscriber transcriber;
    private final MetricsPublisher metrics;
    private final TranscribeConfig config;
    private final JsonLog log = JsonLog.named("TranscribeHandler");

    /** Called by the Lambda runtime: configuration from the environment. */
    public TranscribeHandler() {
        this(Env.system());
    }

    TranscribeHandler(Env env) {
        this(env, AwsClientSettings.from(env));
    }

    TranscribeHandler(Env env, AwsClientSettings aws) {
        this.config = TranscribeConfig.from(env);
        this.metrics = MetricsPublisher.from(env);
        boolean emulator = aws.endpoint().isPresent();
        S3Client s3 = aws.build(S3Client.builder().forcePathStyle(emulator));
        S3Presigner.Builder presigner = S3Presigner.builder().region(aws.region())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(emulator).build());
        aws.endpoint().ifPresent(presigner::endpointOverride);
        SecretsManagerClient secretsManager = aws.build(SecretsManagerClient.builder());
        SecretCache secrets = new SecretCache(secretsManager, config.secretId(), config.secretTtl(), Clock.systemUTC());
        OutputNames names = new OutputNames(config.outputPrefix());
        TranscriptWriter writer = new TranscriptWriter(s3, config.outputBucket(), names, Clock.systemUTC());
        this.transcriber = new RecordTranscriber(config,
                new AudioStore(s3, presigner.build(), config.presignedUrlTtl()),
                writer,
                new UploadClaims(s3, writer, names, Clock.systemUTC()),
                DeepgramClient.create(config.deepgram()),
                secrets,
                Clock.systemUTC());
    }

    @Override
    public Void handleRequest(S3Event event, Context context) {
        JsonLog invocationLog = log.with("requestId", context.getAwsRequestId());
        List<S3EventNotificationRecord> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        if (records.isEmpty()) {
            invocationLog.info("Event without records (such as s3:TestEvent) acknowledged and ignored", Map.of());
            return null;
        }
        Deadline deadline = Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis()));
        List<String> transientFailures = new ArrayList<>();
        for (S3EventNotificationRecord record : records) {
            long started = System.nanoTime();
            Outcome outcome = transcribeSafely(record, deadline, context.getAwsRequestId(), invocationLog);
            report(record, outcome, (System.nanoTime() - started) / 1_000_000, invocationLog);
            if (outcome.retryable()) {
                transientFailures.add(record.getS3().getObject().getUrlDecodedKey() + ": " + outcome.message());
            }
        }
        if (!transientFailures.isEmpty()) {
            throw new TranscriptionFailedException(transientFailures);
        }
        return null;
    }

    /**
     * One record's unexpected error (an S3 outage, say) must not cost the other records their turn.
     * That includes running out of memory: an {@code OutOfMemoryError} is no {@code RuntimeException},
     * and escaping here it would skip the remaining records and fail the whole event. What held the
     * memory belonged to this record and is unreachable by now, so the others can still run.
     */
    private Outcome transcribeSafely(S3EventNotificationRecord record, Deadline deadline, String invocationId, JsonLog log) {
        try {
            return transcriber.transcribe(record, deadline, invocationId, log);
        } catch (RuntimeException | OutOfMemoryError e) {
            return Outcome.transientFailure(e instanceof OutOfMemoryError ? "out-of-memory" : "unexpected-error",
                    e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty(), Optional.empty());
        }
    }

    private void report(S3EventNotificationRecord record, Outcome outcome, long totalMillis, JsonLog log) {
        metrics.publishOutcome(outcome.status(), Map.of("reason", outcome.reason()));
        outcome.deepgram().ifPresent(stats -> {
            List<Datum> data = new ArrayList<>(List.of(
                    new Datum(MetricNames.RATE_LIMIT_HITS, stats.rateLimitHits(), Unit.COUNT),
                    new Datum(MetricNames.DEEPGRAM_RETRIES, stats.retries(), Unit.COUNT),
                    new Datum(MetricNames.FALLBACK_KEY_USED, stats.keySlot() == ApiKey.Slot.FALLBACK ? 1 : 0, Unit.COUNT)));
            if (outcome.status() == MetricNames.Status.SUCCESS) {
                data.add(new Datum(MetricNames.TRANSCRIPTION_LATENCY, outcome.deepgramMillis(), Unit.MILLISECONDS));
                outcome.audioSeconds().ifPresent(s -> data.add(new Datum(MetricNames.AUDIO_SECONDS_PROCESSED, s, Unit.SECONDS)));
            }
            metrics.publish(data, Map.of());
        });
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("bucket", record.getS3().getBucket().getName());
        fields.put("key", record.getS3().getObject().getUrlDecodedKey());
        fields.put("outcome", outcome.status().value());
        fields.put("reason", outcome.reason());
        fields.put("detail", outcome.message());
        fields.put("durationMs", totalMillis);
        fields.put("audioSource", config.audioSource().name().toLowerCase(Locale.ROOT));
        outcome.deepgram().ifPresent(stats -> {
            fields.put("deepgramMs", outcome.deepgramMillis());
            fields.put("attempts", stats.attempts());
            fields.put("rateLimitHits", stats.rateLimitHits());
            fields.put("keySlot", stats.keySlot().name().toLowerCase(Locale.ROOT));
        });
        outcome.deepgramRequestId().ifPresent(id -> fields.put("deepgramRequestId", id));
        outcome.output().ifPresent(location -> fields.put("output", location));
        switch (outcome.status()) {
            case SUCCESS, SKIPPED -> log.info("Record " + outcome.status().value(), fields);
            case FAILURE -> log.error(outcome.retryable() ? "Record failed; Lambda will retry the event"
                    : "Record failed permanently; error record written", fields);
        }
    }
}
