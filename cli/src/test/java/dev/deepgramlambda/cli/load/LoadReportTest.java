package dev.deepgramlambda.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadReportTest {
    @Test
    void givenLatencies_whenPercentilesAreTaken_thenTheyAreNearestRank() {
        List<Duration> hundred = IntStream.rangeClosed(1, 100).mapToObj(Duration::ofSeconds).toList();
        List<Duration> three = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(9));

        assertEquals(Duration.ofSeconds(50), LoadReport.percentile(hundred, 50));
        assertEquals(Duration.ofSeconds(95), LoadReport.percentile(hundred, 95));
        assertEquals(Duration.ofSeconds(99), LoadReport.percentile(hundred, 99));
        assertEquals(Duration.ofSeconds(2), LoadReport.percentile(three, 50));
        assertEquals(Duration.ofSeconds(9), LoadReport.percentile(three, 95), "with few samples p95 is the slowest");
    }
}
