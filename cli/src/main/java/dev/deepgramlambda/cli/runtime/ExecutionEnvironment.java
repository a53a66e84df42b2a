package dev.deepgramlambda.cli.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One Lambda execution environment on this machine: a child JVM running the real runtime interface
 * client ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}) against a
 * {@link RuntimeApiServer} of its own, with Lambda's JVM options, working directory and environment
 * variables. The child inherits nothing else from this process's environment, as in Lambda.
 */
public final class ExecutionEnvironment implements AutoCloseable {
    static final String RUNTIME_MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Grace after the deadline before the environment is stopped, for the answer already on its way. */
    private static final Duration DEADLINE_GRACE = Duration.ofMillis(500);

    private final FunctionDefinition function;
    private final RuntimeApiServer runtimeApi;
    private final Process process;
    private final long startedNanos;
    private final List<String> output = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private boolean closed;

    /** What the init phase came to: its duration, and the runtime's error if the function could not start. */
    public record InitReport(Duration duration, Optional<String> error) {
        public boolean succeeded() {
            return error.isEmpty();
        }
    }

    private ExecutionEnvironment(FunctionDefinition function, Consumer<String> liveOutput) {
        this.function = function;
        this.runtimeApi = RuntimeApiServer.start(function.arn(), function.timeout());
        ProcessBuilder builder = new ProcessBuilder(command(function)).directory(function.layout().taskRoot().toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(function, runtimeApi.address()));
        this.startedNanos = System.nanoTime();
        try {
            this.process = builder.start();
        } catch (IOException e) {
            runtimeApi.close();
            throw new UncheckedIOException("cannot start the function's JVM", e);
        }
        readers.add(read(process.getInputStream(), liveOutput, "function-stdout"));
        readers.add(read(process.getErrorStream(), liveOutput, "function-stderr"));
    }

    /** Starts the function's JVM; {@code liveOutput} sees each line it prints as it prints it. */
    public static ExecutionEnvironment start(FunctionDefinition function, Consumer<String> liveOutput) {
        return new ExecutionEnvironment(function, liveOutput);
    }

    /**
     * Waits for the init phase to end: the runtime's first poll for an event (Lambda's "Init
     * Duration" ends there), an init error, or the JVM exiting.
     */
    public InitReport awaitInit() {
        CompletableFuture<?> ended = CompletableFuture.anyOf(runtimeApi.firstPoll(), runtimeApi.initError(), process.onExit());
        try {
            ended.get(function.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new InitReport(function.timeout(), Optional.of("init did not finish within the function timeout of "
                    + function.timeout().toSeconds() + " s"));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (runtimeApi.initError().isDone()) {
            return new InitReport(Duration.ofNanos(System.nanoTime() - startedNanos), Optional.of(runtimeApi.initError().join()));
        }
        if (runtimeApi.firstPoll().isDone()) {
            return new InitReport(Duration.ofNanos(runtimeApi.firstPoll().join() - startedNanos), Optional.empty());
        }
        awaitOutput();
        return new InitReport(Duration.ofNanos(System.nanoTime() - startedNanos),
                Optional.of("the function's JVM exited with status " + process.exitValue() + " before polling for an event"));
    }

    /**
     * Hands {@code event} to the runtime and waits for its answer. Past the function's timeout the
     * environment is stopped, as Lambda stops a timed-out one.
     */
    public InvocationResult invoke(byte[] event) {
        CompletableFuture<InvocationResult> answer = runtimeApi.submit(event);
        long submitted = System.nanoTime();
        try {
            CompletableFuture.anyOf(answer, process.onExit())
                    .get(function.timeout().plus(DEADLINE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            return InvocationResult.timeout(function.timeout());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (answer.isDone()) {
            return answer.join();
        }
        return InvocationResult.exited(process.exitValue(), Duration.ofNanos(System.nanoTime() - submitted));
    }

    /** Peak resident memory of the function's JVM so far (Lambda's "Max Memory Used"), where Linux tells it. */
    public OptionalLong maxMemoryUsedMb() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return OptionalLong.of(Math.round(kilobytes / 1024.0));
                }
            }
        } catch (IOException | RuntimeException notLinuxOrGone) {
            // no peak memory to report
        }
        return OptionalLong.empty();
    }

    /** Every line the function printed so far, stdout and stderr, in arrival order. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Stops the JVM and waits until everything it printed has been read; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitOutput();
        runtimeApi.close();
    }

    private void awaitOutput() {
        for (Thread reader : readers) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Thread read(InputStream stream, Consumer<String> liveOutput, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    liveOutput.accept(line);
                }
            } catch (IOException streamClosed) {
                // the JVM is gone
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * The java21 managed runtime's JVM options as observed in Lambda: heap at 85 % of the function's
     * memory, serial GC, C1 only, class data sharing, the client's native library named explicitly.
     */
    private static List<String> command(FunctionDefinition function) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:MaxHeapSize=" + (function.memoryMb() * 1024L * 85 / 100) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-XX:+ErrorFileToStderr");
        command.add("-D" + LambdaLayout.NATIVE_CLIENT_PROPERTY + "=" + function.layout().nativeClient().toAbsolutePath());
        command.add("-classpath");
        command.add(function.layout().runtimeDir().toAbsolutePath() + "/*");
        command.add(RUNTIME_MAIN_CLASS);
        command.add(function.handler());
        return command;
    }

    /** Lambda's reserved variables, then the function's own (which carry region and credentials). */
    static Map<String, String> environment(FunctionDefinition function, String runtimeApiAddress) {
        String version = "$LATEST";
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", function.layout().taskRoot().toAbsolutePath().toString());
        env.put("LAMBDA_RUNTIME_DIR", function.layout().runtimeDir().toAbsolutePath().toString());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApiAddress);
        env.put("_HANDLER", function.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
                + "/[" + version + "]" + UUID.randomUUID().toString().replace("-", ""));
        env.putAll(function.environment());
        return env;
    }
}
