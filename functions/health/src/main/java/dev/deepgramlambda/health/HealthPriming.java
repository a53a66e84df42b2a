package dev.deepgramlambda.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.OfflineDeepgram;
import dev.deepgramlambda.health.HealthMetrics.Trigger;
import dev.deepgramlambda.health.check.HealthReport;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.priming.OfflineAws;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import okhttp3.Request;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * HealthCheckFunction's priming: both event shapes parsed, one scheduled run of every check (secret,
 * {@code GET /v1/projects}, the key's expiry, the deep check's transcription) through the real
 * {@code HealthMonitor}, its metrics rendered and both answers serialized, with Secrets Manager
 * and Deepgram answered in memory. No network call, no secret, no connection left open; the
 * function's own verdict cache and secret cache stay empty.
 *
 * <p>{@link #afterRestore} drops the function's pooled Deepgram connections.
 */
final class HealthPriming implements Resource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEDULE_EVENT = "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}";
    private static final String URL_EVENT = "{\"rawPath\":\"/health\",\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/health\"}}}";

    private final HealthConfig config;
    private final AwsClientSettings aws;
    private final DeepgramClient deepgram;
    private final Clock clock;

    /** @param deepgram the function's own client, whose connections {@link #afterRestore} drops */
    HealthPriming(HealthConfig config, AwsClientSettings aws, DeepgramClient deepgram, Clock clock) {
        this.config = config;
        this.aws = aws;
        this.deepgram = deepgram;
        this.clock = clock;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws IOException {
        Invocation.of(JSON.readTree(SCHEDULE_EVENT));
        Invocation.of(JSON.readTree(URL_EVENT));
        String listenResponse = OfflineDeepgram.recordedResponse();
        try (SecretsManagerClient secrets = OfflineAws.placeholderSecrets(aws)) {
            HealthReport report = HealthCheckHandler.checks(config, secrets,
                    OfflineDeepgram.client(config.deepgram(), request -> answer(request, listenResponse)), clock)
                    .scheduledRun(Deadline.in(Duration.ofMinutes(1))).report();
            if (!report.status().passes()) {
                throw new IllegalStateException("priming did not get through the checks: " + report.reason());
            }
            new HealthMetrics(new MetricsPublisher(config.metrics()).offline()).publish(report, Trigger.SCHEDULE);
            for (HealthAnswers.Audience audience : HealthAnswers.Audience.values()) {
                JSON.writeValueAsString(HealthAnswers.body(report, audience));
            }
            JSON.writeValueAsString(HealthAnswers.verdict(report));
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        deepgram.closeIdleConnections();
    }

    /** Deepgram's answers to the three requests a run makes: the project list, the key, a transcription. */
    private static String answer(Request request, String listenResponse) {
        String path = request.url().encodedPath();
        if (path.endsWith("/v1/listen")) {
            return listenResponse;
        }
        if (path.contains("/keys/")) {
            return "{\"item\":{\"member\":{\"api_key\":{\"api_key_id\":\"priming\",\"expiration_date\":\"2030-01-01T00:00:00Z\"}}}}";
        }
        return "{\"projects\":[{\"project_id\":\"priming\",\"name\":\"priming\"}]}";
    }
}
