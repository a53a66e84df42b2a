package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NearestRankTest {
    @Test
    void givenLatencies_whenPercentilesAreTaken_thenTheyAreNearestRank() {
        List<Duration> hundred = IntStream.rangeClosed(1, 100).mapToObj(Duration::ofSeconds).toList();
        List<Duration> three = List.of(Duration.ofSeconds(9), Duration.ofSeconds(1), Duration.ofSeconds(2));

        assertEquals(Duration.ofSeconds(50), NearestRank.percentile(hundred, 50));
        assertEquals(Duration.ofSeconds(95), NearestRank.percentile(hundred, 95));
        assertEquals(Duration.ofSeconds(99), NearestRank.percentile(hundred, 99));
        assertEquals(Duration.ofSeconds(2), NearestRank.percentile(three, 50));
        assertEquals(Duration.ofSeconds(9), NearestRank.percentile(three, 95), "with few samples p95 is the slowest");
        assertThrows(IllegalArgumentException.class, () -> NearestRank.percentile(List.of(), 50), "no values, no percentile");
    }
}
