package dev.deepgramlambda.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepgramlambda.health.check.CheckResult;
import dev.deepgramlambda.health.check.HealthReport;
import dev.deepgramlambda.health.check.Status;

/**
 * What callers get back: the verdict as JSON, and for Function URL requests the HTTP response
 * around it. Built field by field from the report, so nothing reaches a caller that was not chosen
 * here: no key material, no exception text, no stack traces.
 */
final class HealthAnswers {
    static final String HEALTH_PATH = "/health";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthAnswers() {}

    /** {@code {status, reason, latencyMs, checkedAt, checks: {secret, deepgram[, transcription]}}}. */
    static ObjectNode body(HealthReport report) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", report.status().value());
        body.put("reason", report.reason());
        putLatency(body, report.deepgram());
        body.put("checkedAt", report.checkedAt().toString());
        ObjectNode checks = body.putObject("checks");
        ObjectNode secret = check(report.secret());
        report.keyExpiresAt().ifPresent(expiry -> secret.put("keyExpiresAt", expiry.toString()));
        report.keyDaysToExpiry().ifPresent(days -> secret.put("keyDaysToExpiry", days));
        checks.set("secret", secret);
        checks.set("deepgram", check(report.deepgram()));
        report.transcription().ifPresent(t -> checks.set("transcription", check(t)));
        return body;
    }

    /** 200 unless unhealthy: a degraded Deepgram still transcribes. */
    static ObjectNode verdict(HealthReport report) {
        return response(report.status() == Status.UNHEALTHY ? 503 : 200, body(report));
    }

    static ObjectNode notFound() {
        return response(404, error("not found: the health endpoint is GET " + HEALTH_PATH));
    }

    static ObjectNode methodNotAllowed() {
        ObjectNode response = response(405, error("method not allowed: the health endpoint is GET " + HEALTH_PATH));
        ((ObjectNode) response.get("headers")).put("Allow", "GET");
        return response;
    }

    private static ObjectNode check(CheckResult result) {
        ObjectNode check = JSON.createObjectNode();
        check.put("status", result.status().value());
        check.put("reason", result.reason());
        result.latency().ifPresent(latency -> check.put("latencyMs", latency.toMillis()));
        result.httpStatus().ifPresent(status -> check.put("httpStatus", status));
        return check;
    }

    /** Always present, so every answer has the same shape; null when no Deepgram call was made. */
    private static void putLatency(ObjectNode body, CheckResult deepgram) {
        if (deepgram.latency().isPresent()) {
            body.put("latencyMs", deepgram.latency().get().toMillis());
        } else {
            body.putNull("latencyMs");
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    /** The Function URL response format: status, headers and the body as a JSON string. */
    private static ObjectNode response(int statusCode, ObjectNode body) {
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", statusCode);
        ObjectNode headers = response.putObject("headers");
        headers.put("Content-Type", "application/json");
        // A cached 200 in a proxy would hide an outage from whoever polls us.
        headers.put("Cache-Control", "no-store");
        response.put("body", body.toString());
        response.put("isBase64Encoded", false);
        return response;
    }
}
