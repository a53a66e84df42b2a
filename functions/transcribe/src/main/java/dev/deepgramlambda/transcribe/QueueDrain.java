package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.logging.JsonLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Admits waiting uploads, oldest first, into the slots free right now. Only the sweep runs it, and
 * only one sweep runs at a time (reserved concurrency 1): one admitter means no two containers race
 * to submit the same upload. Within a run the oldest uploads, one per free slot, are submitted side
 * by side: each submission mostly waits on S3 and Deepgram.
 */
final class QueueDrain {
    /** Left for the caller when the run stops early. */
    private static final Duration RESERVE = Duration.ofSeconds(15);
    private static final int PARALLEL_SUBMISSIONS = 8;

    private final Pipeline pipeline;
    private final ExecutorService submitters = Executors.newFixedThreadPool(PARALLEL_SUBMISSIONS, runnable -> {
        Thread thread = new Thread(runnable, "admission");
        thread.setDaemon(true);
        return thread;
    });

    QueueDrain(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** @return how many uploads left the queue */
    int admit(String bucket, Deadline deadline, JsonLog log) {
        int free = pipeline.admission.limit() - pipeline.admission.slots(bucket).inFlight();
        if (free <= 0 || deadline.remaining().compareTo(RESERVE) < 0) {
            return 0;
        }
        AdmissionQueue queue = pipeline.admission.queue(bucket);
        // An upload queued twice (a retried event) is admitted once per run; its other entry finds
        // the job already submitted in a later run and leaves the queue without a second request.
        Map<String, AdmissionQueue.Entry> distinct = new LinkedHashMap<>();
        queue.oldest(free).forEach(waiting -> distinct.putIfAbsent(PendingJobs.jobId(waiting.bucket(), waiting.key()), waiting));
        List<Future<Boolean>> admissions = new ArrayList<>();
        for (AdmissionQueue.Entry waiting : distinct.values()) {
            admissions.add(submitters.submit(() -> admitOne(queue, waiting, deadline, log)));
        }
        int admitted = 0;
        for (Future<Boolean> admission : admissions) {
            try {
                admitted += admission.get() ? 1 : 0;
            } catch (ExecutionException e) {
                log.warn("A waiting upload could not be admitted; it stays queued", Map.of("problem", String.valueOf(e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return admitted;
    }

    /** @return whether the upload left the queue: submitted, or found done, gone or invalid meanwhile */
    private boolean admitOne(AdmissionQueue queue, AdmissionQueue.Entry waiting, Deadline deadline, JsonLog log) {
        long started = System.nanoTime();
        Outcome outcome = pipeline.transcriber.admit(waiting, deadline, log);
        pipeline.report.report(UploadEvent.current(waiting.bucket(), waiting.key(), "admission-queue"), outcome,
                (System.nanoTime() - started) / 1_000_000, log);
        if (outcome instanceof Outcome.Queued || outcome instanceof Outcome.TransientFailure) {
            return false; // no slot after all, or a passing failure: the next run tries it again
        }
        queue.remove(waiting);
        if (outcome instanceof Outcome.Submitted) {
            pipeline.metrics.admitted(Duration.between(waiting.queuedAt(), pipeline.admission.clock().instant()));
        }
        return true;
    }
}
