package dev.deepgramlambda.testing;

import dev.deepgramlambda.standin.MotoServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * One test's AWS side, the same for every function: an emulator wiped clean, {@link TestAws} to
 * arrange and inspect it, the environment the function under test reads, and a count of the SDK
 * calls the function's own clients make (give them {@link #callCounter()}; the arranging clients
 * are not counted). Each module's harness adds only its scenario on top; a test that needs nothing
 * more holds it in a {@code @RegisterExtension} field.
 */
public final class TestBed implements TestResource {
    public final TestAws aws;
    private final Map<String, String> environment = new HashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ExecutionInterceptor callCounter = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.computeIfAbsent(operation, ignored -> new AtomicInteger()).incrementAndGet();
        }
    };

    /** Against any S3 and Secrets Manager emulator, e.g. LocalStack where Docker exists. */
    public TestBed(URI awsEndpoint) {
        aws = new TestAws(awsEndpoint);
        environment.putAll(aws.environment());
    }

    /** Against the shared moto_server, wiped first so no test sees another's buckets or secrets. */
    public static TestBed onMoto() {
        MotoServer moto = MotoServer.shared();
        moto.reset();
        return new TestBed(moto.endpoint());
    }

    /** Sets one variable of the function's environment. */
    public TestBed set(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The function's environment as set so far: the emulator's endpoint and region, and what was set. */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    /** Counts the calls of every SDK client it is added to, by operation. */
    public ExecutionInterceptor callCounter() {
        return callCounter;
    }

    /** Every call the counted clients made so far, by operation; empty when they made none. */
    public Map<String, Integer> calls() {
        Map<String, Integer> snapshot = new HashMap<>();
        calls.forEach((operation, count) -> snapshot.put(operation, count.get()));
        return Map.copyOf(snapshot);
    }

    /** How many {@code operation} calls (e.g. {@code GetSecretValue}) the counted clients made. */
    public int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        aws.close();
    }
}
