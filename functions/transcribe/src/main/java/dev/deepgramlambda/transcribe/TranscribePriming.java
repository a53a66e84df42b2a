package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.OfflineDeepgram;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.priming.OfflineAws;
import dev.deepgramlambda.priming.OfflineAws.Answer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * TranscribeFunction's priming: one made-up upload transcribed end to end through the real
 * {@link RecordTranscriber} (S3 HEADs, presigning, the Deepgram request with retries and circuit
 * breaker, response parsing, the {@code .txt} rendering, the writes), with S3, Secrets Manager and
 * Deepgram answered in memory. It loads and runs what the first real invocation would, without a
 * network call, a secret, an id of its own, or a connection left open.
 *
 * <p>{@link #afterRestore} drops the function's pooled Deepgram connections: after a SnapStart
 * restore they would be shared by every environment resumed from the snapshot.
 */
final class TranscribePriming implements Resource {
    static final String BUCKET = "priming-bucket";
    static final String KEY = "priming/audio.wav";
    private static final JsonLog LOG = JsonLog.named("TranscribePriming");

    private final TranscribeConfig config;
    private final AwsClientSettings aws;
    private final DeepgramClient deepgram;
    private final TranscriptionMetrics metrics;

    /**
     * @param deepgram the function's own client, whose connections {@link #afterRestore} drops
     * @param metrics the function's metrics; priming renders its lines without printing them
     */
    TranscribePriming(TranscribeConfig config, AwsClientSettings aws, DeepgramClient deepgram, TranscriptionMetrics metrics) {
        this.config = config;
        this.aws = aws;
        this.deepgram = deepgram;
        this.metrics = metrics.offline();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        String listenResponse = OfflineDeepgram.recordedResponse();
        try (S3Client s3 = OfflineAws.client(aws, S3Client.builder().forcePathStyle(aws.endpoint().isPresent()), TranscribePriming::s3);
             SecretsManagerClient secrets = OfflineAws.placeholderSecrets(aws)) {
            Pipeline pipeline = Pipeline.over(config, aws, s3, secrets,
                    OfflineDeepgram.client(config.deepgram(), request -> listenResponse),
                    OfflineAws.PLACEHOLDER_CREDENTIALS, metrics, Clock.systemUTC());
            UploadEvent upload = UploadEvent.of(upload());
            Outcome outcome = pipeline.transcriber.transcribe(upload, Deadline.in(Duration.ofMinutes(1)), "priming", LOG);
            if (!(outcome instanceof Outcome.TranscriptWritten)) {
                throw new IllegalStateException("priming stopped short of a transcript: " + outcome.reason() + ": " + outcome.message());
            }
            metrics.publish(outcome);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        deepgram.closeIdleConnections();
    }

    /**
     * S3 as a new upload sees it: the source exists, no transcript yet, no upload waits for a
     * Deepgram slot and none is taken, every write succeeds.
     */
    private static Answer s3(SdkHttpRequest request) {
        if (request.method() == SdkHttpMethod.GET && request.firstMatchingRawQueryParameter("list-type").isPresent()) {
            return Answer.of(200, "<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>");
        }
        if (request.method() == SdkHttpMethod.HEAD) {
            return request.encodedPath().endsWith(KEY)
                    ? new Answer(200, Map.of("ETag", "\"priming\"", "Content-Length", "1024", "Content-Type", "audio/wav"), "")
                    : Answer.of(404, "");
        }
        return request.method() == SdkHttpMethod.DELETE ? Answer.of(204, "") : new Answer(200, Map.of("ETag", "\"written\""), "");
    }

    private static S3EventNotificationRecord upload() {
        return new S3EventNotificationRecord("us-east-1", "ObjectCreated:Put", "aws:s3", "2026-01-01T00:00:00.000Z", "2.1",
                null, null, new S3Entity("priming", new S3BucketEntity(BUCKET, null, "arn:aws:s3:::" + BUCKET),
                new S3ObjectEntity(KEY, 1024L, "priming", null, "00"), "1.0"), null);
    }
}
