package dev.deepgramlambda.cli.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * TranscribeFunction's OnFailure destination: after Lambda's async retries it sends the event, with
 * the last error, as an invocation record ({@code requestContext.condition}, {@code requestPayload},
 * {@code responsePayload}). Read without deleting: the messages stay for the operator (visibility
 * timeout 0), though each read counts towards the queue's receive count.
 */
public final class FailureQueue {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough rounds to see a few hundred messages; a queue longer than that has bigger problems. */
    private static final int MAX_ROUNDS = 30;

    private final SqsClient sqs;
    private final String queueUrl;

    public FailureQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** For each source key matching {@code wanted}: why Lambda gave up on it ("RetriesExhausted: ..."). */
    public Map<String, String> failures(Predicate<String> wanted) {
        Map<String, String> failures = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            ReceiveMessageResponse response = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(0));
            boolean anyNew = false;
            for (Message message : response.messages()) {
                if (seen.add(message.messageId())) {
                    anyNew = true;
                    read(message.body(), wanted, failures);
                }
            }
            if (!anyNew) {
                break;
            }
        }
        return failures;
    }

    private static void read(String body, Predicate<String> wanted, Map<String, String> failures) {
        JsonNode record;
        try {
            record = JSON.readTree(body);
        } catch (IOException notAnInvocationRecord) {
            return;
        }
        String condition = record.path("requestContext").path("condition").asText("Failed");
        JsonNode error = record.path("responsePayload");
        String reason = condition + (error.has("errorMessage")
                ? ": " + error.path("errorType").asText("Error") + ": " + error.path("errorMessage").asText() : "");
        for (JsonNode s3Record : record.path("requestPayload").path("Records")) {
            String key = URLDecoder.decode(s3Record.path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8);
            if (wanted.test(key)) {
                failures.put(key, reason);
            }
        }
    }
}
