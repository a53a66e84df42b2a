package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.secrets.SecretCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * TranscribeFunction: S3 {@code ObjectCreated} notifications in, transcripts out.
 *
 * <p>Lambda creates one instance per container, so everything built in the constructor (S3 and
 * Secrets Manager clients, the Deepgram client with its connection pool and circuit breaker, the
 * secret cache) is reused by every warm invocation.
 */
public final class TranscribeHandler implements RequestHandler<S3Event, Void> {
    private final RecordTranscriber transcriber;
    private final TranscriptionMetrics metrics;
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
        this.metrics = new TranscriptionMetrics(MetricsPublisher.from(env));
        boolean emulator = aws.endpoint().isPresent();
        S3Client s3 = aws.build(S3Client.builder().forcePathStyle(emulator));
        S3Presigner.Builder presigner = S3Presigner.builder().region(aws.region())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(emulator).build());
        aws.endpoint().ifPresent(presigner::endpointOverride);
        SecretsManagerClient secretsManager = aws.build(SecretsManagerClient.builder());
        SecretCache secrets = new SecretCache(secretsManager, config.secretId(), config.secretTtl(), Clock.systemUTC());
        this.transcriber = new RecordTranscriber(config,
                new AudioStore(s3, presigner.build(), config.presignedUrlTtl()),
                new TranscriptWriter(s3, config.outputBucket(), config.outputPrefix(), Clock.systemUTC()),
                DeepgramClient.create(config.deepgram()),
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
            UploadEvent upload = UploadEvent.of(record);
            Outcome outcome = transcribeSafely(upload, deadline, invocationLog);
            metrics.publish(outcome);
            OutcomeLogLine.write(invocationLog, upload, outcome, (System.nanoTime() - started) / 1_000_000, config.audioSource());
            if (outcome instanceof Outcome.TransientFailure) {
                transientFailures.add(upload.key() + ": " + outcome.message());
            }
        }
        if (!transientFailures.isEmpty()) {
            throw new TranscriptionFailedException(transientFailures);
        }
        return null;
    }

    /** One record's unexpected error (an S3 outage, say) must not cost the other records their turn. */
    private Outcome transcribeSafely(UploadEvent upload, Deadline deadline, JsonLog log) {
        try {
            return transcriber.transcribe(upload, deadline, log);
        } catch (RuntimeException e) {
            return new Outcome.TransientFailure("unexpected-error", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    Optional.empty());
        }
    }
}
