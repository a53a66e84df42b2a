package dev.deepgramlambda.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The benchmark's table (Markdown, as docs/performance.md quotes it) and its ratios against the targets of issue 13. */
final class Report {
    private final int jvms;
    private final int warm;
    private final double loadAtStart = load();
    private final Map<String, Result> results = new LinkedHashMap<>();
    private final Map<String, String> failures = new LinkedHashMap<>();

    Report(int jvms, int warm) {
        this.jvms = jvms;
        this.warm = warm;
    }

    void add(Result result) {
        results.put(result.name(), result);
    }

    void failed(String name, String reason) {
        failures.put(name, reason);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n## Benchmark %s%n%n", Instant.now()));
        out.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s, Java %s (%s); load average %.1f at start, %.1f at end.%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), loadAtStart, load()));
        out.append(String.format(Locale.ROOT, "Cold: median of %d fresh JVMs. Warm: %d invocations in one environment after its first.%n%n",
                jvms, warm));
        out.append("| function | init | first invocation | cold total | warm p50 | warm p99 | AWS calls / file (warm) "
                + "| Deepgram connections (warm) | Secrets Manager calls / 100 warm | package |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results.values()) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.2f | %d | %.1f | %d jars, %.1f MB zipped |%n",
                    r.name(), ms(r.init()), ms(r.first()), ms(r.coldTotal()), ms(r.warmP50()), ms(r.warmP99()),
                    r.awsCallsPerInvocation(), r.deepgramConnections(), r.secretFetchesPer100(), r.size().jars(),
                    r.size().zippedBytes() / 1_000_000.0));
        }
        failures.forEach((name, reason) -> out.append(String.format(Locale.ROOT, "| %s | failed: %s |||||||||%n", name, reason)));
        out.append("\nAWS calls during the warm series, by kind:\n\n");
        results.values().forEach(r -> out.append(String.format(Locale.ROOT, "- %s: %s%n", r.name(), r.warmCalls())));
        out.append("\nTargets (issue 13):\n\n");
        Optional.ofNullable(results.get("TranscribeFunction")).ifPresent(ours -> targets(out, ours));
        results.values().stream().filter(r -> r.name().startsWith("Health") || r.name().startsWith("KeyRotation"))
                .forEach(r -> ratioToFloor(out, r));
        return out.toString();
    }

    private void targets(StringBuilder out, Result ours) {
        target(out, "first invocation after priming <= 2x warm p50", ratio(ours.first(), ours.warmP50()), 2.0);
        Optional.ofNullable(results.get("NaiveTranscribe")).ifPresent(naive -> {
            target(out, "cold total <= 0.5x the naive handler", ratio(ours.coldTotal(), naive.coldTotal()), 0.5);
            target(out, "warm p50 no worse than the naive handler", ratio(ours.warmP50(), naive.warmP50()), 1.0);
        });
        Optional.ofNullable(results.get("Floor")).ifPresent(floor ->
                target(out, "cold total <= 2x the floor", ratio(ours.coldTotal(), floor.coldTotal()), 2.0));
        target(out, "Deepgram connections for " + warm + " warm invocations (target 1)", ours.deepgramConnections(), 1.0);
        target(out, "secret reads per 100 warm invocations (target <= 1)", ours.secretFetchesPer100(), 1.0);
        Optional.ofNullable(results.get("TranscribeUnprimed")).ifPresent(unprimed -> out.append(String.format(Locale.ROOT,
                "- priming during init (TranscribeFunction) against none (TranscribeUnprimed): init %s vs %s, first invocation %s vs %s,"
                        + " cold total %s vs %s%n", ms(ours.init()), ms(unprimed.init()), ms(ours.first()), ms(unprimed.first()),
                ms(ours.coldTotal()), ms(unprimed.coldTotal()))));
    }

    private void ratioToFloor(StringBuilder out, Result result) {
        Optional.ofNullable(results.get("Floor")).ifPresent(floor -> out.append(String.format(Locale.ROOT,
                "- %s: cold total %.2fx the floor; first invocation %.2fx its warm p50%n", result.name(),
                ratio(result.coldTotal(), floor.coldTotal()), ratio(result.first(), result.warmP50()))));
    }

    private static void target(StringBuilder out, String what, double value, double limit) {
        out.append(String.format(Locale.ROOT, "- %s: %.2f %s%n", what, value, value <= limit ? "MET" : "MISSED"));
    }

    private static double ratio(Duration a, Duration b) {
        return a.toNanos() / (double) b.toNanos();
    }

    private static String ms(Duration d) {
        return d.toMillis() >= 1000 ? String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0) : d.toMillis() + " ms";
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
