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
import dev.deepgramlambda.priming.Priming;
import dev.deepgramlambda.secrets.SecretCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
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
 * secret cache) is reused by every warm invocation. The constructor also primes the pipeline
 * ({@link TranscribePriming}), at once or, under SnapStart, before the snapshot.
 */
public final class TranscribeHandler implements RequestHandler<S3Event, Void> {
    private final RecordTranscriber transcriber;
    private final MetricsPublisher metrics;
    private final TranscribeConfig config;
    private final JsonLog log = JsonLog.named("TranscribeHandler");
    /** Held so SnapStart's hooks stay registered: org.crac keeps resources only weakly. */
    final TranscribePriming priming;

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
        DeepgramClient deepgram = DeepgramClient.create(config.deepgram());
        this.transcriber = transcriber(config, aws, aws.build(S3Client.builder().forcePathStyle(aws.endpoint().isPresent())),
                aws.build(SecretsManagerClient.builder()), deepgram, DefaultCredentialsProvider.builder().build());
        this.priming = Priming.register(new TranscribePriming(config, aws, deepgram, metrics), env);
    }

    /** The pipeline over the given clients: the function's own, or priming's in-memory ones. */
    static RecordTranscriber transcriber(TranscribeConfig config, AwsClientSettings aws, S3Client s3,
                                         SecretsManagerClient secretsManager, DeepgramClient deepgram,
                                         AwsCredentialsProvider presignerCredentials) {
        S3Presigner.Builder presigner = S3Presigner.builder().region(aws.region()).credentialsProvider(presignerCredentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(aws.endpoint().isPresent()).build());
        aws.endpoint().ifPresent(presigner::endpointOverride);
        SecretCache secrets = new SecretCache(secretsManager, config.secretId(), config.secretTtl(), Clock.systemUTC());
        return new RecordTranscriber(config,
                new AudioStore(s3, presigner.build(), config.presignedUrlTtl()),
                new TranscriptWriter(s3, config.outputBucket(), config.outputPrefix(), Clock.systemUTC()),
                deepgram,
                secrets);
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
            Outcome outcome = transcribeSafely(record, deadline, invocationLog);
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

    /** One record's unexpected error (an S3 outage, say) must not cost the other records their turn. */
    private Outcome transcribeSafely(S3EventNotificationRecord record, Deadline deadline, JsonLog log) {
        try {
            return transcriber.transcribe(record, deadline, log);
        } catch (RuntimeException e) {
            return Outcome.transientFailure("unexpected-error", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    Optional.empty(), Optional.empty());
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
