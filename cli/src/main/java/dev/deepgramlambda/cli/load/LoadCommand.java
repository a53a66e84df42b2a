package dev.deepgramlambda.cli.load;

import dev.deepgramlambda.cli.Audio;
import dev.deepgramlambda.cli.Bounds;
import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.ExitStatus;
import dev.deepgramlambda.cli.HelpOption;
import dev.deepgramlambda.cli.Progress;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.aws.AwsLocation;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.aws.FunctionLogs;
import dev.deepgramlambda.cli.aws.OutcomeWatch;
import dev.deepgramlambda.cli.aws.TranscriptStore;
import dev.deepgramlambda.cli.load.LoadReport.Ending;
import dev.deepgramlambda.cli.load.LoadReport.Sample;
import dev.deepgramlambda.cli.metrics.EmfRecord;
import dev.deepgramlambda.cli.pipeline.CallbackTriggers;
import dev.deepgramlambda.cli.pipeline.LocalPipeline;
import dev.deepgramlambda.cli.pipeline.PipelineOptions;
import dev.deepgramlambda.cli.runtime.ExecutionEnvironment;
import dev.deepgramlambda.cli.runtime.InvocationResult;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.config.Settings;
import dev.deepgramlambda.metrics.MetricNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pre-launch (D-7) load test: N uploads with C in flight at a time (each of C workers uploads,
 * waits for that upload's outcome, then uploads the next), against a deployed stack or this machine.
 * Reports throughput, latency from upload to transcript, rate-limit hits, failures and where each
 * failed upload ended up.
 */
@Command(name = "load", sortOptions = false, abbreviateSynopsis = true,
        header = "Load-test a deployed stack or this machine: N uploads at concurrency C (D-7).",
        description = {"Load-tests a deployed stack (--stack-name) or this machine (--local; D-7): N uploads with C in flight "
                + "at a time, a progress bar, then throughput, latency percentiles from upload to transcript, rate-limit hits, "
                + "failures and where each failed upload ended up."},
        footer = {"", "Latency runs from the end of an upload to the first time the transcript is seen (listed every "
                + "--poll-interval for a stack; the invocation's end locally). Rate-limit hits: for a stack, the RateLimitHits "
                + "values in the EMF lines TranscribeFunction logged during the test, read from its log group (the CloudWatch "
                + "metric and its alarm see the same lines, a minute or two later); locally, the same values in the function's "
                + "output. Failed uploads end up as .error.json (permanent failures), in the failure queue (after Lambda's "
                + "retries) or nowhere yet. Burst figures (peak InFlightJobs, AdmissionWaitSeconds p95, Transcriptions by status): "
                + "for a stack from CloudWatch, locally from the function's EMF lines. --local with --env DELIVERY=callback plays "
                + "the callback-result trigger and runs CallbackSweepFunction every 2 s.",
                "Exit status: 0 all transcribed, 1 any upload failed, 2 bad arguments."})
public final class LoadCommand implements Callable<Integer> {
    /** The function's delivery mode variable, as --env sets it for --local. */
    private static final String DELIVERY = Settings.DELIVERY.name();
    /** How often --local runs the sweep in callback delivery: its EventBridge schedule, compressed from a minute for a short test. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(2);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A deployed stack or this machine: one of the two, each with the options only it takes. */
    static final class Target {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "%nA deployed stack:%n")
        StackTarget stack;

        @ArgGroup(exclusive = false, multiplicity = "1", heading = "%nThis machine (the run command's pipeline):%n")
        LocalTarget local;
    }

    static final class StackTarget {
        @Spec
        CommandSpec spec;

        @Option(names = "--stack-name", paramLabel = "NAME", required = true, description = "The CloudFormation stack sam deploy created.")
        String stackName;

        Duration pollInterval;

        @Option(names = "--service", paramLabel = "NAME", description = "The metrics' Service dimension (default: the stack name).")
        String service;

        @Option(names = "--log-group", paramLabel = "NAME", description = "TranscribeFunction's log group (default: the one its "
                + "logging configuration names, found through the stack).")
        String logGroup;

        @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "500",
                description = "How often to look for transcripts, 50 to 60000 (default ${DEFAULT-VALUE}).")
        void pollInterval(int millis) {
            pollInterval = Duration.ofMillis(Bounds.within(spec, "--poll-interval", millis, 50, 60_000));
        }
    }

    static final class LocalTarget {
        @Option(names = "--local", required = true,
                description = "Run TranscribeFunction here instead, in C local Lambda environments.")
        boolean local;

        @ArgGroup(exclusive = false)
        PipelineOptions pipeline = new PipelineOptions();

        @ArgGroup(exclusive = true)
        PipelineOptions.DeepgramKey deepgramKey = new PipelineOptions.DeepgramKey();
    }

    private final Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @Mixin
    private AwsLocation location;

    private int count;
    private int concurrency;

    @Option(names = "--file", paramLabel = "AUDIO",
            description = "Upload this file instead of the bundled sample (" + Audio.BUNDLED_SAMPLE + ").")
    private Path file;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stack: how long to wait for each transcript, 1 to 3600 "
            + "(default 300). --local: the function's timeout, 1 to 900 (default 180).")
    private Integer timeoutSeconds;

    @Option(names = "--keep", description = "Keep the uploads and transcripts (by default those that succeeded are removed).")
    private boolean keep;

    public LoadCommand(Console console) {
        this.console = console;
    }

    @Option(names = "--count", paramLabel = "N", defaultValue = "20", description = "How many uploads, 1 to 100000 (default ${DEFAULT-VALUE}).")
    void count(int value) {
        count = Bounds.within(spec, "--count", value, 1, 100_000);
    }

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "How many uploads in flight at a time, 1 to 1000 (default ${DEFAULT-VALUE}).")
    void concurrency(int value) {
        concurrency = Bounds.within(spec, "--concurrency", value, 1, 1000);
    }

    @Override
    public Integer call() throws UsageException {
        Audio audio = file != null ? Audio.read(file) : Audio.bundledSample();
        int inFlight = Math.min(count, concurrency);
        return target.stack != null
                ? againstStack(target.stack, inFlight, audio)
                : locally(target.local, inFlight, audio);
    }

    /** What a worker does with the upload numbered {@code item}, as worker number {@code worker}. */
    private interface Upload {
        Sample run(int worker, int item);
    }

    /** The --timeout given, checked against its range in this mode, or this mode's default. */
    private Duration timeout(int defaultSeconds, int maxSeconds) {
        return Duration.ofSeconds(timeoutSeconds == null ? defaultSeconds : Bounds.within(spec, "--timeout", timeoutSeconds, 1, maxSeconds));
    }

    private int againstStack(StackTarget stack, int concurrency, Audio audio) {
        Duration wait = timeout(300, 3600);
        Duration pollInterval = stack.pollInterval;
        String stackName = stack.stackName;
        String service = stack.service != null ? stack.service : stackName;
        Optional<String> logGroup = Optional.ofNullable(stack.logGroup);
        AwsTarget aws = location.account();
        console.out().println("Load test of stack '" + stackName + "' (" + aws.describe() + "): " + count + " uploads of "
                + audio.fileName() + " (" + audio.size() + " bytes), " + concurrency + " in flight at a time");
        Deployment deployment;
        try {
            deployment = Deployment.read(aws, stackName, List.of(Deployment.AUDIO_BUCKET_NAME, Deployment.UPLOAD_PREFIX,
                    Deployment.OUTPUT_PREFIX, Deployment.FAILURE_QUEUE_URL));
        } catch (Deployment.UnusableException e) {
            console.err().println("error: " + e.getMessage());
            return ExitStatus.FAILED;
        }
        String runPrefix = runPrefix(deployment.uploadPrefix());
        Instant started = Instant.now();
        try (S3Client s3 = aws.s3(); SqsClient sqs = aws.client(SqsClient.builder())) {
            TranscriptStore store = new TranscriptStore(s3, deployment.bucket(), deployment.outputPrefix());
            FailureQueue failureQueue = new FailureQueue(sqs, deployment.failureQueueUrl().orElseThrow());
            console.out().println("  uploading to " + store.uriOfSource(runPrefix));
            LoadReport report = new LoadReport(count);
            try (OutcomeWatch watch = new OutcomeWatch(store, runPrefix, pollInterval, Optional.of(failureQueue))) {
                runUploads(count, concurrency, report, console, (worker, item) -> {
                    String key = keyOf(runPrefix, item, audio);
                    var arrival = watch.await(key);
                    try {
                        store.upload(key, audio.body(), audio.contentType(), Map.of());
                    } catch (RuntimeException e) {
                        return new Sample(key, Ending.UPLOAD_FAILED, Duration.ZERO, e.getMessage());
                    }
                    long uploaded = System.nanoTime();
                    try {
                        OutcomeWatch.Arrival outcome = arrival.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                        Duration latency = Duration.ofNanos(outcome.seenNanos() - uploaded);
                        return switch (outcome.outcome()) {
                            case TRANSCRIPT -> new Sample(key, Ending.TRANSCRIPT, latency, store.uri(key, TranscriptStore.Kind.TRANSCRIPT));
                            case ERROR_RECORD -> new Sample(key, Ending.ERROR_RECORD, latency,
                                    store.uri(key, TranscriptStore.Kind.ERROR_RECORD) + ": " + store.errorSummary(key));
                            case FAILURE_QUEUE -> new Sample(key, Ending.FAILURE_QUEUE, latency, outcome.detail());
                        };
                    } catch (TimeoutException e) {
                        return new Sample(key, Ending.NOT_ARRIVED, wait, "nothing within " + wait.toSeconds()
                                + " s; Lambda may still be retrying it (the failure queue gets it after the last retry)");
                    } catch (ExecutionException | InterruptedException e) {
                        return new Sample(key, Ending.NOT_ARRIVED, wait, "interrupted");
                    }
                });
            }
            try {
                report.foundInFailureQueue(failureQueue.failures(key -> key.startsWith(runPrefix)));
            } catch (RuntimeException e) {
                console.out().println("  (could not read the failure queue: " + e.getMessage() + ")");
            }
            long queued = report.samples().stream().filter(sample -> sample.ending() == Ending.FAILURE_QUEUE).count();
            TranscribeFunction function = TranscribeFunction.lookUp(aws, stackName);
            report.print(console, rateLimitHits(aws, function, logGroup, service, started),
                    queued + " (on-failure records of this test's uploads in " + deployment.failureQueueUrl().orElseThrow() + ")",
                    burstFigures(aws, function, service, started));
            cleanUp(keep, store, report, console);
            return report.allTranscribed() ? ExitStatus.OK : ExitStatus.FAILED;
        }
    }

    private int locally(LocalTarget local, int concurrency, Audio audio) throws UsageException {
        // DELIVERY=callback (or auto) through --env: results come back by Deepgram's PUT, which nothing in S3 can hand to a
        // local environment, and waiting uploads need the sweep; CallbackTriggers plays both.
        Optional<String> delivery = Optional.ofNullable(local.pipeline.environment().get(DELIVERY)).filter(d -> !d.equals("sync"));
        Duration timeout = timeout(180, 900);
        try (LocalPipeline pipeline = LocalPipeline.start(local.pipeline, local.deepgramKey, location, timeout,
                delivery.map(d -> "--env " + DELIVERY + "=" + d), console)) {
            console.out().println("Load test on this machine: " + count + " uploads of " + audio.fileName() + " (" + audio.size()
                    + " bytes), " + concurrency + " in flight at a time, one Lambda execution environment each");
            console.out().println("  AWS        " + pipeline.aws().describe());
            console.out().println("  Deepgram   " + pipeline.deepgram().description());
            List<ExecutionEnvironment> environments = new CopyOnWriteArrayList<>();
            List<String> output = Collections.synchronizedList(new ArrayList<>());
            String runPrefix = runPrefix("incoming/");
            TranscriptStore store = pipeline.store();
            try (CallbackTriggers callbacks = delivery.isPresent() ? CallbackTriggers.start(pipeline, SWEEP_INTERVAL) : null;
                 OutcomeWatch watch = delivery.isPresent() ? new OutcomeWatch(store, runPrefix, Duration.ofMillis(200), Optional.empty()) : null) {
                for (int i = 0; i < concurrency; i++) {
                    environments.add(pipeline.startEnvironment(line -> { }));
                }
                List<Duration> inits = new ArrayList<>();
                for (ExecutionEnvironment environment : environments) {
                    ExecutionEnvironment.InitReport init = environment.awaitInit();
                    if (!init.succeeded()) {
                        console.out().println("\nThe function failed to start (init error): " + InvocationResult.errorSummary(init.error().get()));
                        return ExitStatus.FAILED;
                    }
                    inits.add(init.duration());
                }
                console.out().println("  init       " + concurrency + " environments ready, init durations "
                        + inits.stream().map(Progress::seconds).toList());
                if (callbacks != null) {
                    console.out().println("  callbacks  " + DELIVERY + "=" + delivery.get() + ": each result Deepgram PUTs under the callback prefix"
                            + " goes to an environment of its own as S3's notification; CallbackSweepFunction runs every "
                            + SWEEP_INTERVAL.toSeconds() + " s (every minute in AWS)");
                }
                LoadReport report = new LoadReport(count);
                runUploads(count, concurrency, report, console, (worker, item) -> {
                    String key = keyOf(runPrefix, item, audio);
                    Optional<CompletableFuture<OutcomeWatch.Arrival>> arrival = Optional.ofNullable(watch).map(w -> w.await(key));
                    byte[] event;
                    try {
                        event = pipeline.notification(pipeline.upload(audio, key, Map.of()));
                    } catch (RuntimeException e) {
                        return new Sample(key, Ending.UPLOAD_FAILED, Duration.ZERO, e.getMessage());
                    }
                    long uploaded = System.nanoTime();
                    InvocationResult result = environments.get(worker).invoke(event);
                    Duration latency = Duration.ofNanos(System.nanoTime() - uploaded);
                    if (!result.succeeded()) {
                        replaceIfStopped(environments, worker, result, pipeline, output);
                        return new Sample(key, Ending.INVOCATION_FAILED, latency, result.errorSummary()
                                + " (in Lambda: retried once, then sent to the failure queue)");
                    }
                    Optional<TranscriptStore.Kind> outcome = store.outcome(key);
                    if (outcome.isEmpty() && arrival.isPresent()) {
                        // submitted or queued: the transcript comes with the completion of Deepgram's callback
                        try {
                            OutcomeWatch.Arrival arrived = arrival.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                            latency = Duration.ofNanos(arrived.seenNanos() - uploaded);
                            outcome = Optional.of(arrived.outcome() == OutcomeWatch.Outcome.TRANSCRIPT
                                    ? TranscriptStore.Kind.TRANSCRIPT : TranscriptStore.Kind.ERROR_RECORD);
                        } catch (TimeoutException e) {
                            return new Sample(key, Ending.NOT_ARRIVED, timeout, "no outcome within " + timeout.toSeconds()
                                    + " s of the submission (callback delivery)");
                        } catch (ExecutionException | InterruptedException e) {
                            return new Sample(key, Ending.NOT_ARRIVED, latency, "interrupted");
                        }
                    }
                    if (outcome.isEmpty()) {
                        return new Sample(key, Ending.NOT_ARRIVED, latency, "the function returned without writing an outcome");
                    }
                    return outcome.get() == TranscriptStore.Kind.TRANSCRIPT
                            ? new Sample(key, Ending.TRANSCRIPT, latency, store.uri(key, TranscriptStore.Kind.TRANSCRIPT))
                            : new Sample(key, Ending.ERROR_RECORD, latency,
                                    store.uri(key, TranscriptStore.Kind.ERROR_RECORD) + ": " + store.errorSummary(key));
                });
                environments.forEach(environment -> {
                    environment.close();
                    output.addAll(environment.output());
                });
                if (callbacks != null) {
                    callbacks.close();
                    output.addAll(callbacks.output());
                    console.out().println("  callbacks  " + callbacks.describe());
                }
                List<EmfRecord> metrics = EmfRecord.parseAll(output);
                long failed = report.samples().stream().filter(sample -> sample.ending() == Ending.INVOCATION_FAILED).count();
                report.print(console, String.format("%.0f (RateLimitHits in the function's EMF lines; retries: %.0f)",
                        EmfRecord.total(metrics, MetricNames.RATE_LIMIT_HITS), EmfRecord.total(metrics, MetricNames.DEEPGRAM_RETRIES)),
                        failed + " (no failure queue here: the invocations that failed, which Lambda would retry once, then send there)",
                        BurstFigures.fromEmf(metrics));
                cleanUp(keep, store, report, console);
                return report.allTranscribed() ? ExitStatus.OK : ExitStatus.FAILED;
            } finally {
                environments.forEach(ExecutionEnvironment::close);
            }
        }
    }

    /** Lambda replaces an environment that timed out or whose runtime exited; so does this test. */
    private static void replaceIfStopped(List<ExecutionEnvironment> environments, int worker, InvocationResult result,
                                         LocalPipeline pipeline, List<String> output) {
        if (result.status() == InvocationResult.Status.TIMEOUT || "Runtime.ExitError".equals(result.errorType())) {
            ExecutionEnvironment stopped = environments.get(worker);
            stopped.close();
            output.addAll(stopped.output());
            ExecutionEnvironment fresh = pipeline.startEnvironment(line -> { });
            fresh.awaitInit();
            environments.set(worker, fresh);
        }
    }

    private static void runUploads(int count, int concurrency, LoadReport report, Console console, Upload upload) {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.submit(() -> {
                for (int item = next.getAndIncrement(); item < count; item = next.getAndIncrement()) {
                    try {
                        report.add(upload.run(worker, item));
                    } catch (RuntimeException e) {
                        report.add(new Sample("upload #" + item, Ending.UPLOAD_FAILED, Duration.ZERO, String.valueOf(e.getMessage())));
                    }
                }
            });
        }
        workers.shutdown();
        Progress progress = new Progress(console, "  ");
        try {
            while (!workers.awaitTermination(250, TimeUnit.MILLISECONDS)) {
                progress.update(report.progress());
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        progress.finish(report.progress());
    }

    /** A folder of its own for each test run, so its uploads and outcomes are told apart from everything else. */
    private static String runPrefix(String uploadPrefix) {
        return uploadPrefix + "load-test/" + STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 6) + "/";
    }

    private static String keyOf(String runPrefix, int item, Audio audio) {
        return runPrefix + String.format("%05d", item + 1) + audio.extension();
    }

    /**
     * TranscribeFunction's configuration, looked up once for the figures that need it (its log group,
     * its metrics namespace). A failed lookup is kept and thrown to each figure that asks, which then
     * reports itself unknown in its own words.
     */
    private record TranscribeFunction(GetFunctionConfigurationResponse found, RuntimeException failure) {
        static TranscribeFunction lookUp(AwsTarget aws, String stackName) {
            try (LambdaClient lambda = aws.client(LambdaClient.builder())) {
                String function = Deployment.physicalId(aws, stackName, Deployment.TRANSCRIBE_FUNCTION);
                return new TranscribeFunction(lambda.getFunctionConfiguration(r -> r.functionName(function)), null);
            } catch (RuntimeException e) {
                return new TranscribeFunction(null, e);
            }
        }

        GetFunctionConfigurationResponse configuration() {
            if (failure != null) {
                throw failure;
            }
            return found;
        }
    }

    /** RateLimitHits in the EMF lines TranscribeFunction logged since the test started, for this stack's Service. */
    private static String rateLimitHits(AwsTarget aws, TranscribeFunction function, Optional<String> logGroup, String service,
                                        Instant started) {
        Instant to = Instant.now();
        try (CloudWatchLogsClient logs = aws.client(CloudWatchLogsClient.builder())) {
            FunctionLogs functionLogs = new FunctionLogs(logs, logGroup.orElseGet(() -> FunctionLogs.logGroupOf(function.configuration())));
            double hits = functionLogs.sum(MetricNames.RATE_LIMIT_HITS, MetricNames.SERVICE, service, started, to);
            return String.format("%.0f (%s in the EMF lines of %s, %s=%s, %s to %s)", hits, MetricNames.RATE_LIMIT_HITS,
                    functionLogs.logGroup(), MetricNames.SERVICE, service, started.truncatedTo(ChronoUnit.SECONDS),
                    to.truncatedTo(ChronoUnit.SECONDS));
        } catch (RuntimeException e) {
            return "unknown: could not read TranscribeFunction's logs (" + e.getMessage() + "); see the RateLimitHits metric";
        }
    }

    /**
     * The burst figures from CloudWatch, in the namespace TranscribeFunction publishes to (its
     * METRICS_NAMESPACE, the template's MetricsNamespace); what could not be read is said so in the report.
     */
    private static BurstFigures burstFigures(AwsTarget aws, TranscribeFunction function, String service, Instant started) {
        try (CloudWatchClient cloudWatch = aws.client(CloudWatchClient.builder())) {
            var environment = function.configuration().environment();
            String namespace = environment == null || environment.variables() == null ? MetricNames.DEFAULT_NAMESPACE
                    : environment.variables().getOrDefault(Settings.METRICS_NAMESPACE.name(), MetricNames.DEFAULT_NAMESPACE);
            return BurstFigures.fromCloudWatch(cloudWatch, namespace, service, started, Instant.now());
        } catch (RuntimeException e) {
            return new BurstFigures(OptionalDouble.empty(), OptionalDouble.empty(), Map.of(),
                    "unknown: could not read CloudWatch metrics (" + e.getMessage() + ")");
        }
    }

    /** Removes what succeeded; failed uploads stay for investigation, with their error records. */
    private static void cleanUp(boolean keep, TranscriptStore store, LoadReport report, Console console) {
        if (keep) {
            return;
        }
        List<Sample> transcribed = report.samples().stream().filter(s -> s.ending() == Ending.TRANSCRIPT).toList();
        transcribed.forEach(s -> store.delete(s.key()));
        console.out().println("\nRemoved the " + transcribed.size() + " transcribed uploads and their transcripts"
                + (transcribed.size() < report.samples().size() ? "; the failed ones stay for investigation" : "") + " (--keep keeps all)");
    }
}
