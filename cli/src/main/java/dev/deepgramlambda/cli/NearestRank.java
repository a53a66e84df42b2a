package dev.deepgramlambda.cli;

import java.time.Duration;
import java.util.List;

/** Percentiles over durations by nearest rank, so every figure reported is one that was measured. */
public final class NearestRank {
    private NearestRank() {}

    /** The {@code percent}th percentile of {@code values}, in any order; there is none of no values. */
    public static Duration percentile(List<Duration> values, int percent) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Duration> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
