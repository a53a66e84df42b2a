package dev.deepgramlambda.cli.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;

/**
 * How one invocation ended, as Lambda would report it.
 *
 * @param body the function's response on success; the runtime's error JSON otherwise
 * @param errorType the runtime's error type ({@code Lambda-Runtime-Function-Error-Type}), or
 *     Lambda's own for timeouts and crashes ({@code Sandbox.Timedout}, {@code Runtime.ExitError})
 * @param duration from handing the event to the runtime until its answer: Lambda's "Duration"
 */
public record InvocationResult(String requestId, Status status, String body, String errorType, Duration duration) {
    public enum Status { SUCCESS, ERROR, TIMEOUT }

    private static final ObjectMapper JSON = new ObjectMapper();

    static InvocationResult success(String requestId, String body, Duration duration) {
        return new InvocationResult(requestId, Status.SUCCESS, body, null, duration);
    }

    static InvocationResult error(String requestId, String errorType, String body, Duration duration) {
        return new InvocationResult(requestId, Status.ERROR, body, errorType, duration);
    }

    static InvocationResult timeout(Duration timeout) {
        return new InvocationResult(null, Status.TIMEOUT,
                String.format("Task timed out after %.2f seconds", timeout.toMillis() / 1000.0), "Sandbox.Timedout", timeout);
    }

    static InvocationResult exited(int exitCode, Duration duration) {
        return new InvocationResult(null, Status.ERROR,
                "Runtime exited with error: exit status " + exitCode, "Runtime.ExitError", duration);
    }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }

    /** "errorType: errorMessage" of a failed invocation. */
    public String errorSummary() {
        return errorSummary(body);
    }

    /** "errorType: errorMessage" from the runtime's error JSON (invocation or init error), else the text as it is. */
    public static String errorSummary(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error.has("errorMessage")) {
                return error.path("errorType").asText("Error") + ": " + error.path("errorMessage").asText();
            }
        } catch (IOException notJson) {
            // Lambda's own errors (timeouts, exits) are plain text
        }
        return body;
    }
}
