package dev.deepgramlambda.cli.aws;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches for the function's outcomes under one source-key prefix: a transcript or error record in
 * the bucket (one listing per interval, however many uploads are awaited, so a load test does not
 * multiply S3 requests by its concurrency), or the upload's event in the failure queue (read every
 * tenth interval, at most once a second). An outcome's time is when a look first showed it, so it
 * is late by at most one interval.
 */
public final class OutcomeWatch implements AutoCloseable {
    /** Where an upload ended up. */
    public enum Outcome { TRANSCRIPT, ERROR_RECORD, FAILURE_QUEUE }

    /**
     * An outcome and {@link System#nanoTime()} of the look that first showed it.
     *
     * @param detail for FAILURE_QUEUE, why Lambda gave up; otherwise empty
     */
    public record Arrival(Outcome outcome, long seenNanos, String detail) {}

    private static final Duration MIN_QUEUE_INTERVAL = Duration.ofSeconds(1);

    private final TranscriptStore store;
    private final String sourceKeyPrefix;
    private final Optional<FailureQueue> failureQueue;
    private final long queueEveryNanos;
    private long lastQueueLook;
    private final Map<String, CompletableFuture<Arrival>> awaited = new ConcurrentHashMap<>();
    private final AtomicReference<RuntimeException> lastError = new AtomicReference<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outcome-watch");
        thread.setDaemon(true);
        return thread;
    });

    public OutcomeWatch(TranscriptStore store, String sourceKeyPrefix, Duration interval, Optional<FailureQueue> failureQueue) {
        this.store = store;
        this.sourceKeyPrefix = sourceKeyPrefix;
        this.failureQueue = failureQueue;
        this.queueEveryNanos = Math.max(interval.multipliedBy(10).toNanos(), MIN_QUEUE_INTERVAL.toNanos());
        this.lastQueueLook = System.nanoTime();
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when an outcome for {@code sourceKey} appears; call before uploading it. */
    public CompletableFuture<Arrival> await(String sourceKey) {
        if (!sourceKey.startsWith(sourceKeyPrefix)) {
            throw new IllegalArgumentException(sourceKey + " is outside the watched prefix " + sourceKeyPrefix);
        }
        return awaited.computeIfAbsent(sourceKey, k -> new CompletableFuture<>());
    }

    /** The last look's error, if the most recent look failed (e.g. access denied). */
    public RuntimeException lastError() {
        return lastError.get();
    }

    private void poll() {
        if (awaited.values().stream().allMatch(CompletableFuture::isDone)) {
            return;
        }
        try {
            store.outcomes(sourceKeyPrefix).forEach((key, kind) -> arrived(key, kind == TranscriptStore.Kind.TRANSCRIPT
                    ? Outcome.TRANSCRIPT : Outcome.ERROR_RECORD, ""));
            if (failureQueue.isPresent() && System.nanoTime() - lastQueueLook >= queueEveryNanos) {
                lastQueueLook = System.nanoTime();
                failureQueue.get().failures(key -> key.startsWith(sourceKeyPrefix))
                        .forEach((key, reason) -> arrived(key, Outcome.FAILURE_QUEUE, reason));
            }
            lastError.set(null);
        } catch (RuntimeException e) {
            lastError.set(e);
        }
    }

    private void arrived(String key, Outcome outcome, String detail) {
        CompletableFuture<Arrival> future = awaited.get(key);
        if (future != null) {
            future.complete(new Arrival(outcome, System.nanoTime(), detail));
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
