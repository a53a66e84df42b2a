package dev.deepgramlambda.standin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The stand-in's side of Deepgram callbacks: after the job's processing time it sends the result
 * to the callback URL from another thread, and retries a non-2xx answer as Deepgram documents
 * (up to 10 tries, 30 s apart; the interval is shortened in tests).
 *
 * <p>moto does not enforce a presigned URL's expiry, so this sender does what S3 would: a URL
 * whose {@code X-Amz-Date} plus {@code X-Amz-Expires} lies before {@link #clock}'s now gets a 403
 * without being sent.
 */
public final class CallbackSender implements AutoCloseable {
    /** Deepgram tries a callback up to 10 times. */
    public static final int MAX_TRIES = 10;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** One try to deliver: where, how, and what came back (403 for an expired URL that was not sent). */
    public record Delivery(String requestId, String method, String urlWithoutQuery, int status) {}

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "fake-deepgram-callback");
        thread.setDaemon(true);
        return thread;
    });
    private final OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    volatile Duration retryInterval = Duration.ofSeconds(30);
    volatile Clock clock = Clock.systemUTC();

    /** Sends {@code body} with {@code method} after {@code delay}, then calls {@code done} whatever the result. */
    void send(String requestId, String url, String method, String body, Duration delay, Runnable done) {
        scheduler.schedule(() -> attempt(requestId, url, method, body, 1, done), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    private void attempt(String requestId, String url, String method, String body, int attempt, Runnable done) {
        int status = expired(url) ? 403 : put(url, method, body);
        deliveries.add(new Delivery(requestId, method, url.replaceFirst("\\?.*", ""), status));
        if (status / 100 == 2 || attempt >= MAX_TRIES) {
            done.run();
            return;
        }
        scheduler.schedule(() -> attempt(requestId, url, method, body, attempt + 1, done),
                retryInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private int put(String url, String method, String body) {
        Request request = new Request.Builder().url(url)
                .method(method, RequestBody.create(body, MediaType.get("application/json"))).build();
        try (Response response = http.newCall(request).execute()) {
            return response.code();
        } catch (IOException e) {
            return 0;
        }
    }

    private boolean expired(String url) {
        HttpUrl parsed = HttpUrl.get(url);
        String date = parsed.queryParameter("X-Amz-Date");
        String expires = parsed.queryParameter("X-Amz-Expires");
        if (date == null || expires == null) {
            return false;
        }
        Instant signedAt = Instant.from(AMZ_DATE.parse(date));
        return clock.instant().isAfter(signedAt.plusSeconds(Long.parseLong(expires)));
    }

    static String methodOf(String callbackMethod) {
        return callbackMethod == null ? "POST" : callbackMethod.toUpperCase(Locale.ROOT);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
