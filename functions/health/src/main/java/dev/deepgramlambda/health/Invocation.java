package dev.deepgramlambda.health;

import com.fasterxml.jackson.databind.JsonNode;

/** What invoked the function, told apart by the event's shape. */
sealed interface Invocation {
    /** An EventBridge rule's {@code Scheduled Event}. */
    record Scheduled() implements Invocation {}

    /** A Lambda Function URL request (payload format 2.0). */
    record HttpRequest(String method, String path) implements Invocation {}

    /** @throws IllegalArgumentException for any other event, saying which two are expected */
    static Invocation of(JsonNode event) {
        JsonNode http = event.path("requestContext").path("http");
        if (http.path("method").isTextual()) {
            String path = event.path("rawPath").isTextual() ? event.path("rawPath").asText() : http.path("path").asText("/");
            return new HttpRequest(http.path("method").asText(), path);
        }
        if ("Scheduled Event".equals(event.path("detail-type").asText()) && "aws.events".equals(event.path("source").asText())) {
            return new Scheduled();
        }
        throw new IllegalArgumentException("Unrecognised event: expected an EventBridge \"Scheduled Event\" from aws.events"
                + " or a Lambda Function URL request (payload format 2.0); see events/health-*.json");
    }
}
