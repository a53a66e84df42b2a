package dev.deepgramlambda.cli.pipeline;

import dev.deepgramlambda.standin.S3Notification;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3's ObjectCreated notification for Deepgram's callback results, played on this machine. In AWS the
 * template's second trigger (CallbackResultArrived, {@code {CallbackPrefix}results/}) invokes the
 * function when Deepgram's PUT lands; nothing in S3 can invoke a local execution environment, so the
 * CLI lists that prefix and hands each new result object over, once, as the notification would.
 */
public final class CallbackResults {
    private static final Duration POLL = Duration.ofMillis(100);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Set<String> seen = new HashSet<>();
    /** Listed but not yet handed out by {@link #awaitNext}. */
    private final Queue<S3Notification.Upload> backlog = new ArrayDeque<>();

    CallbackResults(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** Where results land: {@code s3://bucket/{CallbackPrefix}results/}. */
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** The result objects that appeared since the last call, each once, in key order. */
    public synchronized List<S3Notification.Upload> arrived() {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(object -> seen.add(object.key()))
                .map(this::upload)
                .toList();
    }

    /** The next result object to appear within {@code timeout}, listing every 100 ms. */
    public Optional<S3Notification.Upload> awaitNext(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            backlog.addAll(arrived());
            if (!backlog.isEmpty()) {
                return Optional.of(backlog.poll());
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private S3Notification.Upload upload(S3Object object) {
        return S3Notification.Upload.of(bucket, object.key(), object.size(), object.eTag());
    }
}
