package dev.deepgramlambda.deepgram;

import dev.deepgramlambda.config.Env;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * How the Deepgram client talks to Deepgram. Defaults follow the production checklist: 10 s to
 * connect, 30 s per request, three attempts with exponential backoff and jitter.
 *
 * @param baseUrl Deepgram's API root; self-hosted Deepgram has its own
 * @param connectTimeout TCP and TLS connect timeout
 * @param requestTimeout one attempt, from sending the request to the end of the response
 * @param maxAttempts attempts per transcription, the first included
 * @param backoffBase backoff before the second attempt; doubles for every further attempt
 * @param backoffMax longest wait between attempts; a longer {@code Retry-After} ends the retries
 * @param circuitOpenDuration how long the open circuit fails fast before it lets a probe through
 */
public record DeepgramSettings(
        HttpUrl baseUrl,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration circuitOpenDuration) {

    public static final String DEEPGRAM_BASE_URL = "DEEPGRAM_BASE_URL";
    public static final String DEEPGRAM_TIMEOUT_SECONDS = "DEEPGRAM_TIMEOUT_SECONDS";
    public static final String DEEPGRAM_CONNECT_TIMEOUT_SECONDS = "DEEPGRAM_CONNECT_TIMEOUT_SECONDS";
    public static final String DEEPGRAM_MAX_ATTEMPTS = "DEEPGRAM_MAX_ATTEMPTS";
    public static final String DEEPGRAM_BACKOFF_BASE_MILLIS = "DEEPGRAM_BACKOFF_BASE_MILLIS";
    public static final String DEEPGRAM_BACKOFF_MAX_MILLIS = "DEEPGRAM_BACKOFF_MAX_MILLIS";
    public static final String CIRCUIT_BREAKER_OPEN_SECONDS = "CIRCUIT_BREAKER_OPEN_SECONDS";
    public static final String DEFAULT_BASE_URL = "https://api.deepgram.com";

    public static DeepgramSettings from(Env env) {
        HttpUrl baseUrl = HttpUrl.get(env.httpUri(DEEPGRAM_BASE_URL, DEFAULT_BASE_URL).toString());
        if (!baseUrl.isHttps() && !isLoopback(baseUrl.host())) {
            // Every request carries the API key in its Authorization header: plain HTTP would send it in clear.
            env.problem(DEEPGRAM_BASE_URL + " must use https; http is accepted only for loopback (localhost, 127.0.0.1, ::1), got host '"
                    + baseUrl.host() + "'");
        }
        Duration backoffBase = env.millis(DEEPGRAM_BACKOFF_BASE_MILLIS, 1000, 1, 60_000);
        Duration backoffMax = env.millis(DEEPGRAM_BACKOFF_MAX_MILLIS, 20_000, 1, 300_000);
        if (backoffMax.compareTo(backoffBase) < 0) {
            env.problem(DEEPGRAM_BACKOFF_MAX_MILLIS + " must not be smaller than " + DEEPGRAM_BACKOFF_BASE_MILLIS);
        }
        return new DeepgramSettings(
                baseUrl,
                env.seconds(DEEPGRAM_CONNECT_TIMEOUT_SECONDS, 10, 1, 60),
                env.seconds(DEEPGRAM_TIMEOUT_SECONDS, 30, 1, 900),
                env.integer(DEEPGRAM_MAX_ATTEMPTS, 3, 1, 10),
                backoffBase,
                backoffMax,
                env.seconds(CIRCUIT_BREAKER_OPEN_SECONDS, 30, 1, 3600));
    }

    /** Judged by name only: resolving DNS here would trust whatever the resolver says. */
    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
    }
}
