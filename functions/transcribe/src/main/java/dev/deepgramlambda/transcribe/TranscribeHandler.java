package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.logging.JsonLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TranscribeFunction: S3 {@code ObjectCreated} notifications in, transcripts out. Uploads are
 * transcribed (or submitted as callback jobs); results Deepgram writes under the callback prefix
 * complete their jobs.
 *
 * <p>Lambda creates one instance per container, so everything built in the constructor (S3 and
 * Secrets Manager clients, the Deepgram client with its connection pool and circuit breaker, the
 * secret cache) is reused by every warm invocation.
 */
public final class TranscribeHandler implements RequestHandler<S3Event, Void> {
    private final Pipeline pipeline;
    private final OutcomeReport report;
    private final JsonLog log = JsonLog.named("TranscribeHandler");

    /** Called by the Lambda runtime: configuration from the environment. */
    public TranscribeHandler() {
        this(Env.system());
    }

    TranscribeHandler(Env env) {
        this(env, AwsClientSettings.from(env));
    }

    TranscribeHandler(Env env, AwsClientSettings aws) {
        this(Pipeline.build(env, aws, Clock.systemUTC()));
    }

    TranscribeHandler(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.report = new OutcomeReport(pipeline.metrics, pipeline.config);
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
            String bucket = record.getS3().getBucket().getName();
            String key = record.getS3().getObject().getUrlDecodedKey();
            long started = System.nanoTime();
            Outcome outcome = handleSafely(record, bucket, key, deadline, context.getAwsRequestId(), invocationLog);
            report.report(bucket, key, outcome, (System.nanoTime() - started) / 1_000_000, invocationLog);
            if (outcome.retryable()) {
                transientFailures.add(key + ": " + outcome.message());
            }
        }
        if (!transientFailures.isEmpty()) {
            throw new TranscriptionFailedException(transientFailures);
        }
        return null;
    }

    /**
     * An upload is transcribed; a result Deepgram wrote under the callback prefix completes its job.
     * One record's unexpected error (an S3 outage, say) must not cost the other records their turn.
     * That includes running out of memory: an {@code OutOfMemoryError} is no {@code RuntimeException},
     * and escaping here it would skip the remaining records and fail the whole event. What held the
     * memory belonged to this record and is unreachable by now, so the others can still run.
     */
    private Outcome handleSafely(S3EventNotificationRecord record, String bucket, String key, Deadline deadline,
                                 String invocationId, JsonLog log) {
        try {
            if (pipeline.completer.isResult(bucket, key) && String.valueOf(record.getEventName()).startsWith("ObjectCreated")) {
                return pipeline.completer.complete(bucket, key, log);
            }
            return pipeline.transcriber.transcribe(record, deadline, invocationId, log);
        } catch (RuntimeException | OutOfMemoryError e) {
            return Outcome.transientFailure(e instanceof OutOfMemoryError ? "out-of-memory" : "unexpected-error",
                    e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty(), Optional.empty());
        }
    }
}
