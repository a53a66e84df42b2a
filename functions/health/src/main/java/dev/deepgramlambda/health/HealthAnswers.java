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
 *
 * <p>The Function URL may be public ({@code HealthUrlAuthType=NONE}), so its answer is for load
 * balancers and status pages: verdict, reasons and age, but not the key's expiry date (when an
 * attacker's window closes) nor the account's billing state. Those reach on-call through the
 * scheduled run's log and the {@code ApiKeyDaysToExpiry} metric and alarms.
 */
final class HealthAnswers {
    static final String HEALTH_PATH = "/health";
    static final String BILLING_WITHHELD = "Deepgram refused the request for this account; see the scheduled run's log";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HealthAnswers() {}

    /** Who reads the answer: the scheduled run's log (on-call), or whoever can reach the Function URL. */
    enum Audience { OPERATOR, PUBLIC }

    /** {@code {status, reason, latencyMs, checkedAt, checks: {secret, deepgram[, transcription]}}}. */
    static ObjectNode body(HealthReport report, Audience audience) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", report.status().value());
        boolean billing = isBilling(report.deepgram()) || report.transcription().filter(HealthAnswers::isBilling).isPresent();
        body.put("reason", audience == Audience.PUBLIC && billing ? BILLING_WITHHELD : report.reason());
        putLatency(body, report.deepgram());
        body.put("checkedAt", report.checkedAt().toString());
        ObjectNode checks = body.putObject("checks");
        ObjectNode secret = check(report.secret(), audience);
        if (audience == Audience.OPERATOR) {
            report.keyExpiresAt().ifPresent(expiry -> secret.put("keyExpiresAt", expiry.toString()));
            report.keyDaysToExpiry().ifPresent(days -> secret.put("keyDaysToExpiry", days));
        }
        checks.set("secret", secret);
        checks.set("deepgram", check(report.deepgram(), audience));
        report.transcription().ifPresent(t -> checks.set("transcription", check(t, audience)));
        return body;
    }

    /** 200 unless unhealthy: a degraded Deepgram still transcribes. Public: see the class comment. */
    static ObjectNode verdict(HealthReport report) {
        return response(report.status() == Status.UNHEALTHY ? 503 : 200, body(report, Audience.PUBLIC));
    }

    static ObjectNode notFound() {
        return response(404, error("not found: the health endpoint is GET " + HEALTH_PATH));
    }

    static ObjectNode methodNotAllowed() {
        ObjectNode response = response(405, error("method not allowed: the health endpoint is GET " + HEALTH_PATH));
        ((ObjectNode) response.get("headers")).put("Allow", "GET");
        return response;
    }

    private static ObjectNode check(CheckResult result, Audience audience) {
        ObjectNode check = JSON.createObjectNode();
        check.put("status", result.status().value());
        boolean withheld = audience == Audience.PUBLIC && isBilling(result);
        check.put("reason", withheld ? BILLING_WITHHELD : result.reason());
        result.latency().ifPresent(latency -> check.put("latencyMs", latency.toMillis()));
        if (!withheld) {
            result.httpStatus().ifPresent(status -> check.put("httpStatus", status));
        }
        return check;
    }

    /** 402: the project is out of credits. The account's billing state is not a public fact. */
    private static boolean isBilling(CheckResult result) {
        return result.httpStatus().isPresent() && result.httpStatus().getAsInt() == 402;
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
