package dev.deepgramlambda.cli.aws;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * TranscribeFunction's OnFailure destination: after Lambda's async retries it sends the event, with
 * the last error, as an invocation record ({@code requestContext.condition}, {@code requestPayload},
 * {@code responsePayload}). Read without deleting: the messages stay for the operator (visibility
 * timeout 0), though each read counts towards the queue's receive count.
 */
public final class FailureQueue {
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
        if (FailureRecord.parse(body) instanceof FailureRecord.FailedUpload upload) {
            upload.objects().stream().filter(object -> wanted.test(object.key())).forEach(object -> failures.put(object.key(), upload.reason()));
        }
    }

    /**
     * Up to {@code max} messages (at most 10, SQS's limit per receive), hidden from other readers for
     * {@code hold} so that one run sees each message once; each must then be deleted or put back.
     */
    public List<Message> borrow(int max, Duration hold) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(Math.min(max, 10))
                .visibilityTimeout((int) hold.toSeconds()).waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
    }

    /** Messages waiting, visible or being read (SQS's approximate counts). */
    public int depth() {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(counts.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /** Makes a borrowed message visible again at once: it stays on the queue. */
    public void putBack(Message message) {
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
    }

    public void delete(Message message) {
        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }
}
