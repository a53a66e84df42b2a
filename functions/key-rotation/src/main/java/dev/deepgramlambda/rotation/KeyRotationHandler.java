package dev.deepgramlambda.rotation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.metrics.MetricsPublisher.Datum;
import dev.deepgramlambda.priming.Priming;
import dev.deepgramlambda.rotation.keys.DeepgramKeyAdmin;
import dev.deepgramlambda.rotation.versions.SecretVersions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * KeyRotationFunction: Secrets Manager invokes it four times per rotation of the Deepgram secret
 * ({@code createSecret}, {@code setSecret}, {@code testSecret}, {@code finishSecret}).
 *
 * <p>Every invocation ends with one log line and one EMF line ({@code KeyRotationFailures}, and for
 * finishSecret {@code KeyRotations} and {@code OldKeyRetirementFailures}). A failed step throws, so
 * the function's {@code Errors} metric sees it and Secrets Manager leaves AWSCURRENT as it was.
 */
public final class KeyRotationHandler implements RequestHandler<SecretsManagerRotationEvent, Void> {
    private final KeyRotation rotation;
    private final MetricsPublisher metrics;
    private final JsonLog log = JsonLog.named("KeyRotationHandler");
    /** Held so SnapStart's hooks stay registered: org.crac keeps resources only weakly. */
    final KeyRotationPriming priming;

    /** Called by the Lambda runtime: configuration from the environment. */
    public KeyRotationHandler() {
        this(Env.system(), Clock.systemUTC());
    }

    KeyRotationHandler(Env env, Clock clock) {
        AwsClientSettings aws = AwsClientSettings.from(env);
        this.metrics = MetricsPublisher.from(env);
        RotationConfig config = RotationConfig.from(env);
        DeepgramClient deepgram = DeepgramClient.create(config.deepgram());
        this.rotation = rotation(config, aws.build(SecretsManagerClient.builder()), deepgram, metrics, clock);
        this.priming = Priming.register(new KeyRotationPriming(config, aws, deepgram, metrics, clock), env);
    }

    /** The rotation over the given clients: the function's own, or priming's in-memory ones. */
    static KeyRotation rotation(RotationConfig config, SecretsManagerClient secretsManager, DeepgramClient deepgram,
                                MetricsPublisher metrics, Clock clock) {
        DeepgramKeyAdmin keys = new DeepgramKeyAdmin(deepgram, config.deepgram().requestTimeout());
        return new KeyRotation(config, new SecretVersions(secretsManager), keys, metrics.service(), clock);
    }

    @Override
    public Void handleRequest(SecretsManagerRotationEvent event, Context context) {
        JsonLog invocationLog = log.with("requestId", context.getAwsRequestId());
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            RotationRequest request = RotationRequest.from(event);
            fields.put("step", request.step().eventName());
            fields.put("secretId", request.secretId());
            fields.put("versionId", request.token());
            StepResult result = rotation.run(request, invocationLog.with("step", request.step().eventName()).with("versionId", request.token()));
            metrics.publish(success(request.step(), result), fields);
            fields.put("outcome", result.summary());
            invocationLog.info("Rotation step done", fields);
            return null;
        } catch (RuntimeException e) {
            metrics.publish(List.of(new Datum(MetricNames.KEY_ROTATION_FAILURES, 1, Unit.COUNT)), fields);
            fields.put("error", e.getClass().getSimpleName());
            fields.put("reason", String.valueOf(e.getMessage()));
            invocationLog.error("Rotation step failed; AWSCURRENT is unchanged", fields);
            throw e instanceof RotationException ? e
                    : new RotationException(fields.getOrDefault("step", "rotation") + " failed: " + e.getMessage(), e);
        }
    }

    private static List<Datum> success(RotationRequest.Step step, StepResult result) {
        List<Datum> data = new ArrayList<>(List.of(new Datum(MetricNames.KEY_ROTATION_FAILURES, 0, Unit.COUNT)));
        if (step == RotationRequest.Step.FINISH_SECRET) {
            data.add(new Datum(MetricNames.KEY_ROTATIONS, result.promoted() ? 1 : 0, Unit.COUNT));
            data.add(new Datum(MetricNames.OLD_KEY_RETIREMENT_FAILURES,
                    result.retirement() == OldKeyRetirement.Outcome.FAILED ? 1 : 0, Unit.COUNT));
        }
        return data;
    }
}
