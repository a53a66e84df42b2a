package dev.deepgramlambda.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a non-2xx Deepgram answer into a {@link DeepgramException}. Deepgram's error bodies come in
 * three shapes: {@code {err_code, err_msg, request_id}}, {@code {category, message, details,
 * request_id}}, and plain text from proxies in front of it.
 */
final class ErrorResponse {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 500;
    private static final int MAX_ERROR_CODE = 64;
    private static final int MAX_REQUEST_ID = 128;
    /** What an error code or request id may hold once stored as a log field, S3 metadata or JSON. */
    private static final Pattern NOT_TOKEN = Pattern.compile("[^A-Za-z0-9 ._:-]");
    /** Presigned URLs carry their signature in the query string; an echoed URL must not reach logs. */
    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s\"'?]+)\\?[^\\s\"']*");
    private static final Pattern REMOTE_FETCH_WORDS =
            Pattern.compile("remote|url|fetch|download|retriev", Pattern.CASE_INSENSITIVE);

    private ErrorResponse() {}

    static DeepgramException toException(int status, String body, String retryAfterHeader, boolean sentUrl) {
        String plainText = body == null || body.isBlank() ? null : body.strip();
        return toException(status, parseJson(body), plainText, retryAfter(retryAfterHeader, Instant.now()), sentUrl);
    }

    /**
     * An error body already parsed, with no HTTP answer of its own (status 0): read as its text
     * would be, so an object in neither JSON shape becomes its own JSON text as the message.
     */
    static DeepgramException toException(JsonNode body) {
        return toException(0, body.isObject() ? body : null, body.toString().strip(), null, false);
    }

    /** @param plainText the body as text, the message when it is not in one of Deepgram's JSON shapes */
    private static DeepgramException toException(int status, JsonNode json, String plainText, Duration retryAfter, boolean sentUrl) {
        String code = null;
        String message;
        String requestId = null;
        if (json != null && (json.has("err_code") || json.has("err_msg"))) {
            code = text(json, "err_code");
            message = text(json, "err_msg");
            requestId = text(json, "request_id");
        } else if (json != null && (json.has("category") || json.has("message"))) {
            code = text(json, "category");
            String details = text(json, "details");
            message = text(json, "message");
            message = details == null ? message : (message == null ? details : message + " " + details);
            requestId = text(json, "request_id");
        } else {
            message = plainText;
        }
        message = sanitize(message);
        code = token(code, MAX_ERROR_CODE);
        requestId = token(requestId, MAX_REQUEST_ID);
        return new DeepgramException(kindOf(status, code, message, sentUrl), status, code, message, requestId, retryAfter, null);
    }

    static DeepgramException.Kind kindOf(int status, String code, String message, boolean sentUrl) {
        return switch (status) {
            case 401 -> DeepgramException.Kind.UNAUTHORIZED;
            case 402 -> DeepgramException.Kind.PAYMENT_REQUIRED;
            case 403 -> DeepgramException.Kind.FORBIDDEN;
            case 429 -> DeepgramException.Kind.RATE_LIMITED;
            case 408, 422, 500, 502, 503, 504 -> DeepgramException.Kind.SERVER_ERROR;
            case 400 -> sentUrl && mentionsRemoteFetch(code, message)
                    ? DeepgramException.Kind.REMOTE_AUDIO_UNREACHABLE
                    : DeepgramException.Kind.REJECTED;
            default -> status >= 500 ? DeepgramException.Kind.SERVER_ERROR : DeepgramException.Kind.REJECTED;
        };
    }

    /**
     * Deepgram documents no dedicated status for "could not fetch your URL": it answers 400 with a
     * code such as {@code REMOTE_CONTENT_ERROR} or a message about the URL. Audio it fetched but
     * cannot decode says "corrupt or unsupported data" and is not a fetch failure.
     */
    private static boolean mentionsRemoteFetch(String code, String message) {
        String text = (code == null ? "" : code) + " " + (message == null ? "" : message);
        return !text.toLowerCase(Locale.ROOT).contains("corrupt or unsupported") && REMOTE_FETCH_WORDS.matcher(text).find();
    }

    /** Seconds or an HTTP date; anything else is ignored (and exponential backoff applies). */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    static String sanitize(String message) {
        if (message == null) {
            return null;
        }
        String clean = URL_QUERY.matcher(message).replaceAll("$1?<redacted>");
        return clean.length() > MAX_MESSAGE ? clean.substring(0, MAX_MESSAGE) + "..." : clean;
    }

    /**
     * Deepgram's codes are words ("Bad Request", {@code INVALID_AUTH}) and its request ids UUIDs; a proxy or a hostile server
     * may send anything. Both end up in logs, metadata and error records, so they keep only token
     * characters (any URL's query string removed first) and a bounded length.
     */
    static String token(String raw, int maxLength) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String clean = NOT_TOKEN.matcher(URL_QUERY.matcher(raw.strip()).replaceAll("$1")).replaceAll("_");
        return clean.length() > maxLength ? clean.substring(0, maxLength) : clean;
    }

    private static JsonNode parseJson(String body) {
        if (body == null || !body.trim().startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
