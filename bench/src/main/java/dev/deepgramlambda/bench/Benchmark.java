package dev.deepgramlambda.bench;

import dev.deepgramlambda.cli.runtime.ExecutionEnvironment;
import dev.deepgramlambda.cli.runtime.ExecutionEnvironment.InitReport;
import dev.deepgramlambda.cli.runtime.FunctionDefinition;
import dev.deepgramlambda.cli.runtime.InvocationResult;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.TestAws;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;

/**
 * Runs every function of {@link Scenarios} side by side on this machine, under the real Lambda
 * runtime interface client with Lambda's JVM options, against moto_server and the Deepgram stand-in
 * on loopback, and prints the table of docs/performance.md with its ratios against the targets.
 *
 * <pre>java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.deepgramlambda.bench.Benchmark
 *     [--jvms 5] [--warm 200] [--only Name,Name] (bench/run.sh builds everything first)</pre>
 */
public final class Benchmark {
    private final MotoServer moto = MotoServer.shared();
    private final AwsCallLog awsCalls = new AwsCallLog(moto.requestLog());
    private final Path runtimeDir;
    private final Scenarios scenarios;
    private final int jvms;
    private final int warmInvocations;

    private Benchmark(Path repository, int jvms, int warmInvocations) {
        this.runtimeDir = repository.resolve("cli/local-lambda/target/lambda/runtime");
        this.scenarios = new Scenarios(repository, repository.resolve("bench/target/packages"), jvms + 1 + warmInvocations);
        this.jvms = jvms;
        this.warmInvocations = warmInvocations;
    }

    public static void main(String[] args) {
        // The local Runtime API (the JDK's HttpServer) writes a response's headers and body in two
        // segments; without TCP_NODELAY every warm invocation waits out the client's delayed ACK
        // (about 40 ms, measured on the floor), which Lambda's own Runtime API does not add.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<String, String> options = options(args);
        int jvms = Integer.parseInt(options.getOrDefault("--jvms", "5"));
        int warm = Integer.parseInt(options.getOrDefault("--warm", "200"));
        List<String> names = options.containsKey("--only") ? List.of(options.get("--only").split(",")) : Scenarios.NAMES;
        Benchmark benchmark = new Benchmark(Path.of("").toAbsolutePath(), jvms, warm);
        Report report = new Report(jvms, warm);
        for (String name : names) {
            System.err.printf("benchmark: %s (%d fresh JVMs, %d warm invocations)%n", name, jvms, warm);
            try {
                report.add(benchmark.measure(name));
            } catch (RuntimeException e) {
                // One subject's failure (an emulator error, say) must not cost the others' figures.
                e.printStackTrace();
                report.failed(name, e.getMessage().lines().findFirst().orElse(e.toString()));
            }
        }
        System.out.print(report.render());
    }

    private Result measure(String name) {
        moto.reset();
        try (FakeDeepgram deepgram = new FakeDeepgram(); TestAws aws = new TestAws(moto.endpoint())) {
            Subject subject = scenarios.arrange(name, aws, deepgram);
            FunctionDefinition function = subject.definition(runtimeDir);
            List<Duration> inits = new ArrayList<>();
            List<Duration> firsts = new ArrayList<>();
            for (int i = 0; i < jvms; i++) {
                try (ExecutionEnvironment environment = ExecutionEnvironment.start(function, line -> { })) {
                    inits.add(initialized(environment, name));
                    firsts.add(succeeded(environment.invoke(subject.nextEvent()), environment, name).duration());
                }
            }
            return warmSeries(subject, function, deepgram, inits, firsts);
        }
    }

    /**
     * One environment: its first invocation, then the measured series. Deepgram connections are
     * those that carried this environment's requests (the stand-in numbers every connection).
     */
    private Result warmSeries(Subject subject, FunctionDefinition function, FakeDeepgram deepgram, List<Duration> inits,
                              List<Duration> firsts) {
        try (ExecutionEnvironment environment = ExecutionEnvironment.start(function, line -> { })) {
            int before = deepgram.requests().size();
            initialized(environment, subject.name());
            succeeded(environment.invoke(subject.nextEvent()), environment, subject.name());
            long mark = awsCalls.mark();
            List<Duration> warm = new ArrayList<>();
            for (int i = 0; i < warmInvocations; i++) {
                warm.add(succeeded(environment.invoke(subject.nextEvent()), environment, subject.name()).duration());
            }
            List<RecordedRequest> requests = deepgram.requests();
            long connections = requests.subList(before, requests.size()).stream().map(RecordedRequest::getConnectionIndex).distinct().count();
            return new Result(subject.name(), inits, firsts, warm, awsCalls.since(mark), connections, PackageSize.of(subject.taskRoot()));
        }
    }

    private static Duration initialized(ExecutionEnvironment environment, String name) {
        InitReport init = environment.awaitInit();
        if (!init.succeeded()) {
            throw new IllegalStateException(name + " did not start: " + init.error().orElseThrow() + "\n" + String.join("\n", environment.output()));
        }
        return init.duration();
    }

    /** A failed invocation would measure an error path: stop, and show why. */
    private static InvocationResult succeeded(InvocationResult result, ExecutionEnvironment environment, String name) {
        if (!result.succeeded()) {
            throw new IllegalStateException(name + " failed: " + result.errorSummary() + "\n" + String.join("\n", environment.output()));
        }
        return result;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!List.of("--jvms", "--warm", "--only").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: --jvms N, --warm N, --only Name,Name");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
