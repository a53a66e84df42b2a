package dev.deepgramlambda.rotation;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.OfflineDeepgram;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import dev.deepgramlambda.priming.OfflineAws;
import dev.deepgramlambda.priming.OfflineAws.Answer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * KeyRotationFunction's priming: a made-up {@code testSecret} step through the real
 * {@link KeyRotation} (the request's checks against DescribeSecret, reading AWSPENDING, asking
 * Deepgram whether the key works) with Secrets Manager and Deepgram answered in memory, and its
 * metric line rendered without printing. No rotation, no secret, no Deepgram key touched.
 *
 * <p>{@link #afterRestore} drops the function's pooled Deepgram connections.
 */
final class KeyRotationPriming implements Resource {
    private static final String SECRET_ID = "arn:aws:secretsmanager:us-east-1:123456789012:secret:priming-AbCdEf";
    private static final String TOKEN = "priming-token";
    private static final String DESCRIBED = "{\"ARN\":\"" + SECRET_ID + "\",\"Name\":\"priming\",\"RotationEnabled\":true,"
            + "\"VersionIdsToStages\":{\"" + TOKEN + "\":[\"AWSPENDING\"],\"priming-current\":[\"AWSCURRENT\"]}}";
    private static final JsonLog LOG = JsonLog.named("KeyRotationPriming");

    private final RotationConfig config;
    private final AwsClientSettings aws;
    private final DeepgramClient deepgram;
    private final MetricsPublisher metrics;
    private final Clock clock;

    /** @param deepgram the function's own client, whose connections {@link #afterRestore} drops */
    KeyRotationPriming(RotationConfig config, AwsClientSettings aws, DeepgramClient deepgram, MetricsPublisher metrics, Clock clock) {
        this.config = config;
        this.aws = aws;
        this.deepgram = deepgram;
        this.metrics = metrics.offline();
        this.clock = clock;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        SecretsManagerRotationEvent event = new SecretsManagerRotationEvent();
        event.setStep(RotationRequest.Step.TEST_SECRET.eventName());
        event.setSecretId(SECRET_ID);
        event.setClientRequestToken(TOKEN);
        RotationRequest request = RotationRequest.from(event);
        try (SecretsManagerClient secrets = OfflineAws.client(aws, SecretsManagerClient.builder(), KeyRotationPriming::secretsManager)) {
            KeyRotationHandler.rotation(config, secrets, OfflineDeepgram.client(config.deepgram(), call -> "{}"), metrics, clock)
                    .run(request, LOG);
        }
        metrics.publish(List.of(new Datum(MetricNames.KEY_ROTATION_FAILURES, 0, Unit.COUNT)), Map.of("step", request.step().eventName()));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        deepgram.closeIdleConnections();
    }

    private static Answer secretsManager(SdkHttpRequest request) {
        return request.firstMatchingHeader("X-Amz-Target").orElse("").endsWith(".DescribeSecret")
                ? Answer.of(200, DESCRIBED) : OfflineAws.placeholderSecretValue();
    }
}
