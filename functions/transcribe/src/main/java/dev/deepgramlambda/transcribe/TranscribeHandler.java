package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.priming.Priming;
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
 * secret cache) is reused by every warm invocation. The constructor also primes the pipeline
 * ({@link TranscribePriming}), at once or, under SnapStart, before the snapshot.
 */
public final class TranscribeHandler implements RequestHandler<S3Event, Void> {
    private final Pipeline pipeline;
    private final JsonLog log = JsonLog.named("TranscribeHandler");
    /** Held so SnapStart's hooks stay registered (org.crac keeps resources only weakly); empty when not primed. */
    final Optional<TranscribePriming> priming;

    /** Called by the Lambda runtime: configuration from the environment. */
    public TranscribeHandler() {
        this(Env.system());
    }

    TranscribeHandler(Env env) {
        this(env, AwsClientSettings.from(env));
    }

    /** As in Lambda: primed at once, or before the SnapStart snapshot. */
    TranscribeHandler(Env env, AwsClientSettings aws) {
        this.pipeline = Pipeline.build(env, aws, Clock.systemUTC());
        this.priming = Optional.of(Priming.register(
                new TranscribePriming(pipeline.config, aws, pipeline.deepgram, pipeline.metrics), env));
    }

    /** Over a pipeline the caller built (tests drive its clock), unprimed. */
    TranscribeHandler(Pipeline pipeline) {
        this.pipeline = pipeline;
        this.priming = Optional.empty();
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
            Outcome outcome = handleSafely(upload, deadline, context.getAwsRequestId(), invocationLog);
            pipeline.report.report(upload, outcome, (System.nanoTime() - started) / 1_000_000, invocationLog);
            if (outcome instanceof Outcome.TransientFailure) {
                transientFailures.add(upload.key() + ": " + outcome.message());
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
     *
     * @param invocationId Lambda's request id, the same across Lambda's retries of this event
     */
    private Outcome handleSafely(UploadEvent upload, Deadline deadline, String invocationId, JsonLog log) {
        try {
            if (upload.isObjectCreated() && pipeline.completer.isResult(upload.bucket(), upload.key())) {
                return pipeline.completer.complete(upload.bucket(), upload.key(), log);
            }
            return pipeline.transcriber.transcribe(upload, deadline, invocationId, log);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Outcome.TransientFailure(e instanceof OutOfMemoryError ? "out-of-memory" : "unexpected-error",
                    e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty());
        }
    }
}
