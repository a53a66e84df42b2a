package dev.deepgramlambda.deepgram;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * How the Deepgram client talks to Deepgram. Immutable; built by {@link #builder()}, whose defaults
 * are those of {@link Settings} (the production checklist's: 10 s to connect, 30 s per request,
 * three attempts with exponential backoff and jitter), or read from the environment by
 * {@link #from(Env)}.
 */
public final class DeepgramSettings {
    private final HttpUrl baseUrl;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration circuitOpenDuration;

    private DeepgramSettings(Builder builder) {
        this.baseUrl = builder.baseUrl;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.maxAttempts = builder.maxAttempts;
        this.backoffBase = builder.backoffBase;
        this.backoffMax = builder.backoffMax;
        this.circuitOpenDuration = builder.circuitOpenDuration;
    }

    /** Starts from the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code DEEPGRAM_*} and {@code CIRCUIT_BREAKER_OPEN_SECONDS} variables. Problems go to
     * {@code env}, so the caller's {@link Env#validate()} reports them with every other one.
     */
    public static DeepgramSettings from(Env env) {
        HttpUrl baseUrl = baseUrl(env);
        int problemsBefore = env.problemCount();
        Duration backoffBase = env.read(Settings.DEEPGRAM_BACKOFF_BASE_MILLIS);
        Duration backoffMax = env.read(Settings.DEEPGRAM_BACKOFF_MAX_MILLIS);
        if (backoffMax.compareTo(backoffBase) < 0) {
            // A stand-in for a value already reported is no second problem.
            if (env.problemCount() == problemsBefore) {
                env.problem(Settings.DEEPGRAM_BACKOFF_MAX_MILLIS.name() + " must not be smaller than "
                        + Settings.DEEPGRAM_BACKOFF_BASE_MILLIS.name());
            }
            backoffMax = backoffBase;
        }
        return builder()
                .baseUrl(baseUrl)
                .connectTimeout(env.read(Settings.DEEPGRAM_CONNECT_TIMEOUT_SECONDS))
                .requestTimeout(env.read(Settings.DEEPGRAM_TIMEOUT_SECONDS))
                .maxAttempts(env.read(Settings.DEEPGRAM_MAX_ATTEMPTS))
                .backoff(backoffBase, backoffMax)
                .circuitOpenDuration(env.read(Settings.CIRCUIT_BREAKER_OPEN_SECONDS))
                .build();
    }

    /**
     * {@code DEEPGRAM_BASE_URL}; one that would send the key in clear is a problem in {@code env}
     * (with the default in its place), reported with every other one by {@link Env#validate()}.
     */
    public static HttpUrl baseUrl(Env env) {
        HttpUrl baseUrl = HttpUrl.get(env.read(Settings.DEEPGRAM_BASE_URL).toString());
        Optional<String> inClear = inClear(baseUrl);
        if (inClear.isPresent()) {
            env.problem(Settings.DEEPGRAM_BASE_URL.name() + " " + inClear.get());
            return HttpUrl.get(Settings.DEEPGRAM_BASE_URL.defaultValue().toString());
        }
        return baseUrl;
    }

    /**
     * Why {@code url} would carry the API key in clear: every request sends it in a header, so plain
     * http is accepted only for loopback (local runs and tests). Judged by name only: resolving DNS
     * here would trust whatever the resolver says.
     */
    static Optional<String> inClear(HttpUrl url) {
        String host = url.host();
        boolean loopback = host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
        return url.isHttps() || loopback ? Optional.empty()
                : Optional.of("must use https; http is accepted only for loopback (localhost, 127.0.0.1, ::1), got host '" + host + "'");
    }

    /** Deepgram's API root; self-hosted Deepgram has its own. */
    public HttpUrl baseUrl() {
        return baseUrl;
    }

    /** TCP and TLS connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** One attempt, from sending the request to the end of the response. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Attempts per transcription, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Backoff before the second attempt; doubles for every further attempt. */
    public Duration backoffBase() {
        return backoffBase;
    }

    /** Longest wait between attempts; a longer {@code Retry-After} ends the retries. */
    public Duration backoffMax() {
        return backoffMax;
    }

    /** How long the open circuit fails fast before it lets a probe through. */
    public Duration circuitOpenDuration() {
        return circuitOpenDuration;
    }

    /** Validates each value as it is set, and the backoff pair together. */
    public static final class Builder {
        private HttpUrl baseUrl = HttpUrl.get(Settings.DEEPGRAM_BASE_URL.defaultValue().toString());
        private Duration connectTimeout = Settings.DEEPGRAM_CONNECT_TIMEOUT_SECONDS.defaultValue();
        private Duration requestTimeout = Settings.DEEPGRAM_TIMEOUT_SECONDS.defaultValue();
        private int maxAttempts = Settings.DEEPGRAM_MAX_ATTEMPTS.defaultValue();
        private Duration backoffBase = Settings.DEEPGRAM_BACKOFF_BASE_MILLIS.defaultValue();
        private Duration backoffMax = Settings.DEEPGRAM_BACKOFF_MAX_MILLIS.defaultValue();
        private Duration circuitOpenDuration = Settings.CIRCUIT_BREAKER_OPEN_SECONDS.defaultValue();

        private Builder() {}

        public Builder baseUrl(HttpUrl baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            inClear(baseUrl).ifPresent(problem -> {
                throw new IllegalArgumentException("baseUrl " + problem);
            });
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /** Both timeouts at once, as a single-attempt caller such as the health canary wants. */
        public Builder timeout(Duration timeout) {
            return connectTimeout(timeout).requestTimeout(timeout);
        }

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Backoff before the second attempt, and the longest wait, which must not be smaller. */
        public Builder backoff(Duration base, Duration max) {
            positive("backoff base", base);
            positive("backoff max", max);
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff max (" + max + ") must not be smaller than its base (" + base + ")");
            }
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        public Builder circuitOpenDuration(Duration duration) {
            this.circuitOpenDuration = positive("circuitOpenDuration", duration);
            return this;
        }

        public DeepgramSettings build() {
            return new DeepgramSettings(this);
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
