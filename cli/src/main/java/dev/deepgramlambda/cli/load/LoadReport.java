package dev.deepgramlambda.cli.load;

import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.NearestRank;
import dev.deepgramlambda.cli.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Collects what happened to each upload of a load test, shows progress, and prints the summary. */
final class LoadReport {
    /** How one upload ended. */
    enum Ending {
        TRANSCRIPT("transcripts"),
        ERROR_RECORD("error records (.error.json)"),
        INVOCATION_FAILED("invocation failures"),
        FAILURE_QUEUE("in the failure queue"),
        NOT_ARRIVED("no outcome in time"),
        UPLOAD_FAILED("uploads refused");

        final String label;

        Ending(String label) {
            this.label = label;
        }
    }

    /**
     * One upload's fate.
     *
     * @param latency from the end of the upload to the outcome (the transcript, for TRANSCRIPT)
     * @param where the outcome's location or the reason it failed
     */
    record Sample(String key, Ending ending, Duration latency, String where) {}

    private final int total;
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final long startedNanos = System.nanoTime();
    private volatile long lastOutcomeNanos = startedNanos;

    LoadReport(int total) {
        this.total = total;
    }

    synchronized void add(Sample sample) {
        samples.add(sample);
        lastOutcomeNanos = System.nanoTime();
    }

    /** The progress line: bar, counts so far, elapsed time. */
    String progress() {
        List<Sample> now = List.copyOf(samples);
        long transcripts = now.stream().filter(s -> s.ending() == Ending.TRANSCRIPT).count();
        return Progress.bar(now.size(), total, 30) + String.format(" %d/%d  transcripts %d  failed %d  elapsed %s",
                now.size(), total, transcripts, now.size() - transcripts, Progress.seconds(Duration.ofNanos(System.nanoTime() - startedNanos)));
    }

    /** Uploads without an outcome in time that the failure queue holds: {@code reasons} by key. */
    synchronized void foundInFailureQueue(Map<String, String> reasons) {
        List<Sample> updated = samples.stream()
                .map(s -> s.ending() == Ending.NOT_ARRIVED && reasons.containsKey(s.key())
                        ? new Sample(s.key(), Ending.FAILURE_QUEUE, s.latency(), reasons.get(s.key())) : s)
                .toList();
        samples.clear();
        samples.addAll(updated);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    boolean allTranscribed() {
        return samples.stream().allMatch(s -> s.ending() == Ending.TRANSCRIPT);
    }

    /**
     * @param rateLimitHits Deepgram's 429s, with where they were counted
     * @param failureQueue the failure-queue messages of this test, with where they were counted
     * @param burst the admission figures
     */
    void print(Console console, String rateLimitHits, String failureQueue, BurstFigures burst) {
        List<Sample> all = samples();
        List<Duration> latencies = new ArrayList<>(all.stream().filter(s -> s.ending() == Ending.TRANSCRIPT).map(Sample::latency).toList());
        Collections.sort(latencies);
        Duration span = Duration.ofNanos(lastOutcomeNanos - startedNanos);
        console.out().println("\nResults");
        line(console, "uploads", all.size() + " of " + total);
        for (Ending ending : Ending.values()) {
            long count = all.stream().filter(s -> s.ending() == ending).count();
            if (count > 0 || ending == Ending.TRANSCRIPT) {
                line(console, ending.label, Long.toString(count));
            }
        }
        line(console, "throughput", String.format("%.2f transcripts/s (%d in %s, first upload to last outcome)",
                latencies.size() / Math.max(0.001, span.toMillis() / 1000.0), latencies.size(), Progress.seconds(span)));
        line(console, "latency", latencies.isEmpty() ? "no transcripts"
                : String.format("p50 %s  p95 %s  p99 %s  max %s  (upload done to transcript seen, n=%d)",
                        Progress.seconds(NearestRank.percentile(latencies, 50)), Progress.seconds(NearestRank.percentile(latencies, 95)),
                        Progress.seconds(NearestRank.percentile(latencies, 99)), Progress.seconds(latencies.get(latencies.size() - 1)), latencies.size()));
        line(console, "rate-limit hits", rateLimitHits);
        line(console, "failure-queue messages", failureQueue);
        line(console, "peak in-flight jobs", burst.peakInFlightJobs().isPresent()
                ? Progress.number(burst.peakInFlightJobs().getAsDouble()) + " (InFlightJobs maximum, " + burst.source() + ")"
                : "not reported (InFlightJobs is CallbackSweepFunction's gauge; " + burst.source() + ")");
        burst.admissionWaitP95Seconds().ifPresent(p95 -> line(console, "admission wait p95",
                String.format("%.1f s (AdmissionWaitSeconds, uploads that waited for a Deepgram slot)", p95)));
        line(console, "transcriptions by status", burst.transcriptionsByStatus().entrySet().stream()
                .map(e -> e.getKey() + " " + Progress.number(e.getValue())).collect(java.util.stream.Collectors.joining(", "))
                + " (Transcriptions, " + burst.source() + ")");
        List<Sample> failed = all.stream().filter(s -> s.ending() != Ending.TRANSCRIPT).toList();
        if (!failed.isEmpty()) {
            console.out().println("\nFailed uploads and where they ended up");
            failed.forEach(s -> console.out().println("  " + s.key() + "\n      " + s.ending().label + ": " + s.where()));
        }
    }

    private static void line(Console console, String label, String value) {
        console.out().printf("  %-28s %s%n", label, value);
    }
}
