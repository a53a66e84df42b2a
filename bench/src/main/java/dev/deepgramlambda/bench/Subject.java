package dev.deepgramlambda.bench;

import dev.deepgramlambda.cli.runtime.FunctionDefinition;
import dev.deepgramlambda.cli.runtime.LambdaLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One function as the benchmark runs it: its package, handler, memory and environment, and the
 * events for its invocations, prepared in advance so that arranging them never falls inside a
 * measurement (each upload is a new object, as a real upload would be).
 */
record Subject(String name, String handler, Path taskRoot, int memoryMb, Map<String, String> environment, Iterator<byte[]> events) {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static Subject of(String name, String handler, Path taskRoot, int memoryMb, Map<String, String> environment, List<byte[]> events) {
        return new Subject(name, handler, taskRoot, memoryMb, Map.copyOf(environment), events.iterator());
    }

    FunctionDefinition definition(Path runtimeDir) {
        return new FunctionDefinition(name, handler, new LambdaLayout(runtimeDir, taskRoot), memoryMb, TIMEOUT, environment);
    }

    byte[] nextEvent() {
        if (!events.hasNext()) {
            throw new IllegalStateException(name + ": more invocations than prepared events");
        }
        return events.next();
    }
}
