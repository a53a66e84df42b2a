package dev.deepgramlambda.health;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.ConfigException;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.health.HealthMetrics.Trigger;
import dev.deepgramlambda.health.check.HealthChecks;
import dev.deepgramlambda.health.check.HealthMonitor;
import dev.deepgramlambda.health.check.HealthReport;
import dev.deepgramlambda.health.check.Reading;
import dev.deepgramlambda.logging.JsonLog;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.priming.Priming;
import dev.deepgramlambda.secrets.SecretCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code HealthCheckFunction}: the Deepgram canary. An EventBridge schedule runs the checks and
 * turns the verdict into metrics; a Function URL {@code GET /health} answers 200 (healthy or
 * degraded) or 503 (unhealthy) from a briefly cached verdict. A stream handler, because one
 * function receives two unrelated event shapes and tells them apart itself.
 *
 * <p>Whatever goes wrong inside a check, the run still ends with a verdict and a
 * {@code HealthCheck} metric; only an event that is neither shape is rejected.
 */
public final class HealthCheckHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HealthChecks checks;
    private final HealthMetrics metrics;
    private final Clock clock;
    private final JsonLog log = JsonLog.named("HealthCheckHandler");
    /** Held so SnapStart's hooks stay registered (org.crac keeps resources only weakly); empty when not primed. */
    final Optional<HealthPriming> priming;

    /** What one container runs with, built once at cold start. */
    private record Wiring(HealthChecks checks, MetricsPublisher metrics, Clock clock, Optional<HealthPriming> priming) {}

    /** Used by the Lambda runtime: configuration from the environment, clients built once per container. */
    public HealthCheckHandler() {
        this(Env.system());
    }

    /** As in Lambda: primed at once, or before the SnapStart snapshot (see {@link HealthPriming}). */
    HealthCheckHandler(Env env) {
        this(wire(env, Clock.systemUTC()));
    }

    HealthCheckHandler(HealthConfig config, AwsClientSettings aws) {
        this(config, aws, Clock.systemUTC());
    }

    /** @param clock drives the verdict cache and the secret cache; tests move it forward */
    HealthCheckHandler(HealthConfig config, AwsClientSettings aws, Clock clock) {
        this(working(config, aws, DeepgramClient.create(config.deepgram()), clock, Optional.empty()));
    }

    private HealthCheckHandler(Wiring wiring) {
        this.checks = wiring.checks();
        this.metrics = new HealthMetrics(wiring.metrics());
        this.clock = wiring.clock();
        this.priming = wiring.priming();
    }

    private static Wiring working(HealthConfig config, AwsClientSettings aws, DeepgramClient deepgram, Clock clock,
                                  Optional<HealthPriming> priming) {
        return new Wiring(checks(config, aws.build(SecretsManagerClient.builder()), deepgram, clock),
                new MetricsPublisher(config.metrics()), clock, priming);
    }

    private static Wiring wire(Env env, Clock clock) {
        JsonLog log = JsonLog.named("HealthCheckHandler");
        try {
            AwsClientSettings aws = AwsClientSettings.from(env);
            HealthConfig config = HealthConfig.from(env);
            DeepgramClient deepgram = DeepgramClient.create(config.deepgram());
            HealthPriming priming = Priming.register(new HealthPriming(config, aws, deepgram, clock), env);
            return working(config, aws, deepgram, clock, Optional.of(priming));
        } catch (ConfigException e) {
            log.error("Invalid configuration; every check will report unhealthy", Map.of("problems", e.problems()));
            return new Wiring(new FailedStartup(e.getMessage(), clock), MetricsPublisher.from(env), clock, Optional.empty());
        } catch (RuntimeException e) {
            log.error("The function could not start; every check will report unhealthy", Map.of(
                    "error", e.getClass().getName(), "reason", String.valueOf(e.getMessage())));
            return new Wiring(new FailedStartup("the function could not start (" + e.getClass().getSimpleName() + ")", clock),
                    MetricsPublisher.from(env), clock, Optional.empty());
        }
    }

    /** The checks over the given clients: the function's own, or priming's in-memory ones. */
    static HealthChecks checks(HealthConfig config, SecretsManagerClient secretsManager, DeepgramClient deepgram, Clock clock) {
        SecretCache secrets = new SecretCache(secretsManager, config.secretId(), config.secretCacheTtl(), clock);
        return new HealthMonitor(secrets, deepgram, config.checks(), clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Invocation invocation = Invocation.of(readEvent(input));
        Deadline deadline = Deadline.in(Duration.ofMillis(context.getRemainingTimeInMillis()));
        JsonNode answer;
        if (invocation instanceof Invocation.HttpRequest request) {
            answer = answerHttp(request, deadline);
        } else {
            HealthReport report = read(() -> checks.scheduledRun(deadline)).report();
            metrics.publish(report, Trigger.SCHEDULE);
            answer = HealthAnswers.body(report, HealthAnswers.Audience.OPERATOR);
        }
        JSON.writeValue(output, answer);
    }

    private JsonNode answerHttp(Invocation.HttpRequest request, Deadline deadline) {
        if (!HealthAnswers.HEALTH_PATH.equals(request.path())) {
            return HealthAnswers.notFound();
        }
        if (!"GET".equals(request.method())) {
            return HealthAnswers.methodNotAllowed();
        }
        Reading reading = read(() -> checks.httpRequest(deadline));
        if (reading.fresh()) {
            metrics.publish(reading.report(), Trigger.HTTP);
        }
        return HealthAnswers.verdict(reading.report());
    }

    /** Turns a bug or an unforeseen failure into an unhealthy verdict, so the run still reports. */
    private Reading read(Supplier<Reading> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            log.error("The health check failed unexpectedly", Map.of(
                    "error", e.getClass().getName(), "reason", String.valueOf(e.getMessage())));
            return new Reading(HealthReport.failed(clock.instant(),
                    "the health check failed unexpectedly (" + e.getClass().getSimpleName() + ")"), true);
        }
    }

    private static JsonNode readEvent(InputStream input) throws IOException {
        try {
            JsonNode event = JSON.readTree(input);
            if (event == null || !event.isObject()) {
                throw new IllegalArgumentException("The event must be a JSON object; see events/health-*.json");
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The event is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
