package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.TestContext;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;

/**
 * Child-process half of {@link StreamingMemoryTest} and {@link LargeResponseMemoryTest}: transcribes
 * one upload inside a deliberately small heap and prints the heap's peak use as one JSON line. A
 * buffered implementation would die with OutOfMemoryError long before the audio is sent or the
 * answer written.
 */
final class StreamingMemoryProbe {
    private StreamingMemoryProbe() {}

    public static void main(String[] args) {
        TranscribeHandler handler = new TranscribeHandler(Env.system());
        S3Notification.Upload upload = S3Notification.Upload.of(args[0], args[1], Long.parseLong(args[2]), args[3]);
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);

        handler.handleRequest(S3Events.objectCreated(upload), new TestContext(Duration.ofMinutes(5)));

        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
        System.out.printf("{\"probe\":\"streaming\",\"objectBytes\":%d,\"peakHeapBytes\":%d,\"maxHeapBytes\":%d}%n",
                upload.size(), peak, Runtime.getRuntime().maxMemory());
    }
}
