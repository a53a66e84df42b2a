package dev.deepgramlambda.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deepgramlambda.standin.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto_server, with the two things it cannot do here played on loopback in front of it; everything
 * else is passed through unchanged. The CLI is pointed at this endpoint with --endpoint-url.
 * <ul>
 *   <li>Lambda's asynchronous Invoke ({@code POST /2015-03-31/functions/NAME/invocations} with
 *       {@code X-Amz-Invocation-Type: Event}): moto runs function code only in Docker, which this
 *       machine lacks. Here the event is accepted with 202, as Lambda does, and handed to a real
 *       function (the test's) on another thread, as Lambda's async queue does. The function is named
 *       as Lambda names what was invoked: {@code NAME:QUALIFIER} when a Qualifier was given.</li>
 *   <li>CloudWatch: the AWS SDK for Java (since 2.40.6) speaks Smithy RPC v2 CBOR to CloudWatch,
 *       which moto 5.2 does not serve (getmoto/moto#9195: it serves the Query and JSON 1.0
 *       protocols). Requests to {@code /service/GraniteServiceVersion20100801/operation/OP} are
 *       passed to moto as JSON 1.0 ({@code X-Amz-Target: GraniteServiceVersion20100801.OP}) and the
 *       answers turned back into CBOR, timestamps tagged as epoch seconds (CBOR tag 1).</li>
 * </ul>
 */
public final class MotoFront implements AutoCloseable {
    private static final Pattern ASYNC_INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final Pattern CLOUDWATCH = Pattern.compile("/service/(GraniteServiceVersion20100801)/operation/(\\w+)");
    /** Headers java.net.http sets itself, and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "keep-alive");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CBORMapper CBOR = new CBORMapper();

    private final HttpServer server;
    private final HttpClient moto = HttpClient.newHttpClient();
    private final URI motoEndpoint = MotoServer.shared().endpoint();
    private final ExecutorService lambdaQueue = Executors.newSingleThreadExecutor();
    private final BiConsumer<String, byte[]> function;
    /** 0: accept async invocations; otherwise refuse them with this status, as a throttled Lambda does. */
    private final int refuseWith;

    /** @param function runs an event handed to Lambda asynchronously: (function name and qualifier, event) */
    public MotoFront(BiConsumer<String, byte[]> function) {
        this(function, 0);
    }

    private MotoFront(BiConsumer<String, byte[]> function, int refuseWith) {
        this.function = function;
        this.refuseWith = refuseWith;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** moto alone, with CloudWatch translated; an async Invoke is refused. */
    public MotoFront() {
        this((name, event) -> {
            throw new IllegalStateException("no function behind this front: " + name);
        });
    }

    /** Lambda throttling every async Invoke: 429 TooManyRequestsException (Lambda API reference, Invoke errors). */
    static MotoFront throttlingInvokes() {
        return new MotoFront((name, event) -> {
            throw new IllegalStateException("a throttled invocation never runs");
        }, 429);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            Matcher invoke = ASYNC_INVOKE.matcher(path);
            Matcher cloudWatch = CLOUDWATCH.matcher(path);
            if (invoke.matches() && refuseWith != 0) {
                byte[] error = "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("x-amzn-ErrorType", "TooManyRequestsException");
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(refuseWith, error.length);
                exchange.getResponseBody().write(error);
            } else if (invoke.matches() && "Event".equals(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))) {
                String qualifier = qualifier(exchange.getRequestURI().getRawQuery());
                String name = invoke.group(1) + (qualifier == null ? "" : ":" + qualifier);
                lambdaQueue.submit(() -> function.accept(name, body));
                exchange.sendResponseHeaders(202, -1);
            } else if (cloudWatch.matches()) {
                HttpResponse<byte[]> answer = forward(exchange, "/", JSON.writeValueAsBytes(CBOR.readTree(body)),
                        Map.of("X-Amz-Target", cloudWatch.group(1) + "." + cloudWatch.group(2), "Content-Type", "application/x-amz-json-1.0"),
                        Set.of("content-type", "smithy-protocol", "accept"));
                byte[] cbor = cbor(answer.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(answer.body()));
                exchange.getResponseHeaders().set("Content-Type", "application/cbor");
                exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
                exchange.sendResponseHeaders(answer.statusCode(), cbor.length);
                exchange.getResponseBody().write(cbor);
            } else {
                String target = exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
                HttpResponse<byte[]> answer = forward(exchange, target, body, Map.of(), Set.of());
                answer.headers().map().forEach((name, values) -> {
                    if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                boolean empty = answer.body().length == 0 || "HEAD".equals(exchange.getRequestMethod());
                exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : answer.body().length);
                if (!empty) {
                    exchange.getResponseBody().write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Qualifier query parameter of an Invoke, if any. */
    private static String qualifier(String query) {
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("Qualifier=")) {
                return java.net.URLDecoder.decode(parameter.substring("Qualifier=".length()), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String target, byte[] body, Map<String, String> setHeaders,
                                         Set<String> dropHeaders) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(motoEndpoint.resolve(target))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !dropHeaders.contains(lower)) {
                values.forEach(value -> request.header(name, value));
            }
        });
        setHeaders.forEach(request::setHeader);
        return moto.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** JSON 1.0 answer as RPC v2 CBOR: fields named ...Timestamp (and Timestamp) are epoch-seconds timestamps. */
    private static byte[] cbor(JsonNode json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator generator = new CBORFactory().createGenerator(out)) {
            write(generator, null, json);
        }
        return out.toByteArray();
    }

    private static void write(CBORGenerator generator, String field, JsonNode node) throws IOException {
        if (node.isObject()) {
            generator.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                generator.writeFieldName(entry.getKey());
                write(generator, entry.getKey(), entry.getValue());
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode item : node) {
                write(generator, field, item);
            }
            generator.writeEndArray();
        } else if (node.isNumber() && field != null && field.endsWith("Timestamp")) {
            generator.writeTag(1);
            generator.writeNumber(node.doubleValue());
        } else if (node.isIntegralNumber()) {
            generator.writeNumber(node.longValue());
        } else if (node.isNumber()) {
            generator.writeNumber(node.doubleValue());
        } else if (node.isBoolean()) {
            generator.writeBoolean(node.booleanValue());
        } else if (node.isNull()) {
            generator.writeNull();
        } else {
            generator.writeString(node.asText());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        lambdaQueue.shutdown();
    }
}
