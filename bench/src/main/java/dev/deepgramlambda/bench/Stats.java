package dev.deepgramlambda.bench;

import java.time.Duration;
import java.util.List;

/** Order statistics over durations: nearest-rank, so every figure is one that was measured. */
final class Stats {
    private Stats() {}

    static Duration median(List<Duration> values) {
        return percentile(values, 50);
    }

    static Duration percentile(List<Duration> values, int percent) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
