package dev.deepgramlambda.deepgram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A {@link DeepgramClient} for priming: the production request path (URL, query, headers, body,
 * circuit breaker, retries, response parsing) down to OkHttp's interceptor chain, where an
 * application interceptor answers in memory. No socket is opened, so priming leaves no connection
 * behind and makes no Deepgram call.
 */
public final class OfflineDeepgram {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String LISTEN_RESPONSE = "/dev/deepgramlambda/priming/listen-response.json";

    private OfflineDeepgram() {}

    /** @param answers the JSON body Deepgram "answers" to each request, with status 200 */
    public static DeepgramClient client(DeepgramSettings settings, Function<Request, String> answers) {
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(chain -> answer(chain.request(), answers.apply(chain.request())))
                .build();
        return new DeepgramClient(http, settings, java.time.Clock.systemUTC());
    }

    /** A real recorded {@code /v1/listen} answer, bundled for priming (see priming/SOURCES.md). */
    public static String recordedResponse() {
        try (InputStream in = OfflineDeepgram.class.getResourceAsStream(LISTEN_RESPONSE)) {
            if (in == null) {
                throw new IllegalStateException(LISTEN_RESPONSE + " is missing from the package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response answer(Request request, String body) {
        return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
                .body(ResponseBody.create(body, JSON)).build();
    }
}
