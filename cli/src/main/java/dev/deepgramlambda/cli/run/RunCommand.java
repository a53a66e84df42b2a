package dev.deepgramlambda.cli.run;

import dev.deepgramlambda.cli.Audio;
import dev.deepgramlambda.cli.Bounds;
import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.ExitStatus;
import dev.deepgramlambda.cli.HelpOption;
import dev.deepgramlambda.cli.Progress;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.aws.AwsLocation;
import dev.deepgramlambda.cli.aws.TranscriptStore;
import dev.deepgramlambda.cli.metrics.EmfRecord;
import dev.deepgramlambda.cli.pipeline.CallbackResults;
import dev.deepgramlambda.cli.pipeline.LocalPipeline;
import dev.deepgramlambda.cli.pipeline.PipelineOptions;
import dev.deepgramlambda.cli.pipeline.RecordLog;
import dev.deepgramlambda.cli.runtime.ExecutionEnvironment;
import dev.deepgramlambda.cli.runtime.FunctionDefinition;
import dev.deepgramlambda.cli.runtime.InvocationResult;
import dev.deepgramlambda.metrics.MetricNames;
import dev.deepgramlambda.standin.S3Notification;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The product's main job on one local file, through the real pipeline: upload to S3, the S3
 * notification, TranscribeFunction under the Lambda Java runtime interface client, Deepgram, and
 * the transcript back in S3. Prints the transcript, where it is stored, the metrics the function
 * emitted and Lambda's init and invocation durations.
 */
@Command(name = "run", sortOptions = false, abbreviateSynopsis = true,
        header = "Transcribe one local audio file end to end under the Lambda runtime (local AWS emulator by default).",
        description = {"Transcribes one audio file end to end, the way Lambda runs TranscribeFunction: uploads it to S3 "
                + "(a local moto_server by default), runs the function under the real Lambda Java runtime interface client fed the "
                + "S3 notification, and prints the transcript, where it was stored, the metrics the function emitted and the init "
                + "and invocation durations."},
        footer = {"",
                "Deepgram: DEEPGRAM_API_KEY (required for the real API, https://api.deepgram.com; get one at",
                "https://console.deepgram.com) goes into the function's secret. DEEPGRAM_BASE_URL points the",
                "function at another Deepgram (a stand-in gets the placeholder key when no key is set). Other",
                "DEEPGRAM_* variables of this shell are passed to the function as they are.",
                "Exit status: 0 transcribed, 1 the function failed or wrote an error record, 2 bad arguments."})
public final class RunCommand implements Callable<Integer> {
    static final String CALLBACK = "--callback";
    /** How long the function's record line may take to come through the pipe after the invocation's answer. */
    private static final Duration RECORD_LINE_WAIT = Duration.ofSeconds(2);

    private final Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "AUDIO_FILE", description = "The audio to transcribe (wav, mp3, flac, ogg, m4a, ...).")
    private Path file;

    @Option(names = "--key", paramLabel = "KEY", description = "The S3 key to upload as (default incoming/<file name>).")
    private String key;

    @Option(names = "--language", paramLabel = "LANG", description = "Language for this file (S3 metadata dg-language), e.g. es, en-US.")
    private String language;

    @Option(names = "--diarize", paramLabel = "true|false", arity = "1",
            description = "Speaker labels for this file (S3 metadata dg-diarize).")
    private Boolean diarize;

    @Option(names = "--logs", description = "Print the function's log lines as it prints them.")
    private boolean liveLogs;

    @Option(names = CALLBACK, description = "The asynchronous path: submit with S3 metadata dg-delivery=callback, wait for "
            + "Deepgram's PUT of the result under the callback prefix, then complete it with the S3 notification of that "
            + "result. Needs Deepgram to reach the bucket: " + PipelineOptions.STAND_IN + " locally, or " + PipelineOptions.AWS + ".")
    private boolean callback;

    private Duration timeout;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "The function's timeout, 1 to 900 (default ${DEFAULT-VALUE}, the template's).")
    void timeout(int seconds) {
        timeout = Duration.ofSeconds(Bounds.within(spec, "--timeout", seconds, 1, 900));
    }

    @Mixin
    private AwsLocation location;

    @ArgGroup(exclusive = false, heading = "%nThe pipeline around the function:%n")
    private PipelineOptions pipelineOptions = new PipelineOptions();

    @ArgGroup(exclusive = true, heading = "%nThe Deepgram key:%n")
    private PipelineOptions.DeepgramKey deepgramKey = new PipelineOptions.DeepgramKey();

    public RunCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws UsageException, InterruptedException {
        Audio audio = Audio.read(file);
        String key = this.key != null ? this.key : "incoming/" + audio.fileName();
        Map<String, String> metadata = new LinkedHashMap<>();
        if (language != null) {
            metadata.put("dg-language", language);
        }
        if (diarize != null) {
            metadata.put("dg-diarize", diarize.toString());
        }
        if (callback) {
            metadata.put("dg-delivery", "callback");
        }

        Optional<String> callbacks = callback ? Optional.of(CALLBACK) : Optional.empty();
        try (LocalPipeline pipeline = LocalPipeline.start(pipelineOptions, deepgramKey, location, timeout, callbacks, console)) {
            FunctionDefinition function = pipeline.function();
            console.out().println("Transcribing " + audio.fileName() + " with " + function.name() + " under the Lambda Java runtime interface client");
            row(console, "AWS", pipeline.aws().describe());
            row(console, "Deepgram", pipeline.deepgram().description());
            row(console, "function", function.handler() + ", " + function.memoryMb() + " MB, timeout " + function.timeout().toSeconds()
                    + " s, AUDIO_SOURCE=" + function.environment().get("AUDIO_SOURCE"));
            Optional<CallbackResults> results = callback ? Optional.of(pipeline.callbackResults()) : Optional.empty();
            S3Notification.Upload upload = pipeline.upload(audio, key, metadata);
            row(console, "uploaded", pipeline.store().uriOfSource(key) + " (" + audio.size() + " bytes, " + audio.contentType()
                    + (metadata.isEmpty() ? "" : ", metadata " + metadata) + ")");

            List<String> printed = Collections.synchronizedList(new ArrayList<>());
            Consumer<String> live = line -> {
                printed.add(line);
                if (liveLogs) {
                    console.out().println("  | " + line);
                }
            };
            ExecutionEnvironment.InitReport init;
            List<InvocationResult> invocations = new ArrayList<>();
            OptionalLong maxMemory;
            List<String> output;
            AfterSubmission after = new NotSubmitted();
            try (ExecutionEnvironment environment = pipeline.startEnvironment(live)) {
                init = environment.awaitInit();
                if (init.succeeded()) {
                    invocations.add(environment.invoke(pipeline.notification(upload)));
                    if (results.isPresent() && invocations.get(0).succeeded()) {
                        after = completeCallback(environment, pipeline, results.get(), printed);
                    }
                }
                if (after instanceof Completed completed) {
                    invocations.add(completed.completion());
                }
                maxMemory = environment.maxMemoryUsedMb();
                // stopped before reading its output: only then has every line it printed been read
                environment.close();
                output = environment.output();
            }
            InvocationResult last = invocations.isEmpty() ? null : invocations.get(invocations.size() - 1);
            int status = last == null
                    ? reportInitFailure(console, init, output, liveLogs)
                    : after instanceof ResultMissing ? reportNoResult(console, results.orElseThrow(), output, liveLogs)
                    : reportOutcome(console, pipeline.store(), key, last, output, liveLogs);
            reportMetrics(console, EmfRecord.parseAll(output));
            reportDurations(console, function, init, invocations, maxMemory);
            return status;
        }
    }

    /** Where the callback path got to after the submission's invocation returned. */
    private sealed interface AfterSubmission permits NotSubmitted, ResultMissing, Completed {}

    /** The function did not submit a callback job (queued, transcribed at once, skipped, failed): its outcome is the run's. */
    private record NotSubmitted() implements AfterSubmission {}

    /** Submitted, but no result arrived within the timeout. */
    private record ResultMissing() implements AfterSubmission {}

    /** The result arrived and was handed to the function as S3's notification. */
    private record Completed(InvocationResult completion) implements AfterSubmission {}

    /**
     * After the submission: waits for Deepgram's PUT under the callback prefix, then invokes the same
     * environment with the S3 notification of that object, as the template's CallbackResultArrived
     * trigger does in AWS. Prints a line for each step.
     */
    private AfterSubmission completeCallback(ExecutionEnvironment environment, LocalPipeline pipeline, CallbackResults results,
                                             List<String> printed) throws InterruptedException {
        Optional<RecordLog> submission = RecordLog.await(printed, 0, RECORD_LINE_WAIT);
        if (submission.isEmpty() || !submission.get().outcome().equals(MetricNames.Status.SUBMITTED.value())) {
            row(console, "callback", submission.map(r -> "not submitted: " + r.outcome() + " (" + r.reason() + "), " + r.detail())
                    .orElse("not submitted: the function logged no record line"));
            return new NotSubmitted();
        }
        row(console, "submitted", "Deepgram request " + submission.get().deepgramRequestId().orElse("(no request id)")
                + "; waiting up to " + timeout.toSeconds() + " s for its result under " + results.location());
        Optional<S3Notification.Upload> result = results.awaitNext(timeout);
        if (result.isEmpty()) {
            return new ResultMissing();
        }
        row(console, "result", "arrived at s3://" + result.get().bucket() + "/" + result.get().key() + " (" + result.get().size() + " bytes)");
        int from = printed.size();
        InvocationResult completion = environment.invoke(pipeline.notification(result.get()));
        Optional<RecordLog> completed = RecordLog.await(printed, from, RECORD_LINE_WAIT);
        row(console, "completed", completed.map(r -> r.outcome() + " (" + r.reason() + "), " + r.detail() + r.output().map(o -> ": " + o).orElse(""))
                .orElse(completion.succeeded() ? "the completion returned" : "the completion failed: " + completion.errorSummary()));
        return new Completed(completion);
    }

    private int reportNoResult(Console console, CallbackResults results, List<String> output, boolean liveLogs) {
        console.out().println("\nNo result arrived under " + results.location() + " within " + timeout.toSeconds() + " s: Deepgram did not"
                + " PUT it. In AWS, CallbackSweepFunction submits such a job again after CALLBACK_TIMEOUT_MINUTES, then writes a"
                + " callback-timeout error record.");
        printLogs(console, output, liveLogs);
        return ExitStatus.FAILED;
    }

    private static int reportInitFailure(Console console, ExecutionEnvironment.InitReport init, List<String> output, boolean liveLogs) {
        console.out().println("\nThe function failed to start (init error):");
        console.out().println("  " + InvocationResult.errorSummary(init.error().orElse("")));
        printLogs(console, output, liveLogs);
        return ExitStatus.FAILED;
    }

    private static int reportOutcome(Console console, TranscriptStore store, String key, InvocationResult result, List<String> output,
                                     boolean liveLogs) {
        if (!result.succeeded()) {
            console.out().println("\nThe invocation failed: " + result.errorSummary());
            console.out().println("  In Lambda, S3's asynchronous invocation retries such an event (once, as the template configures it), then hands it to"
                    + " the function's OnFailure destination.");
            printLogs(console, output, liveLogs);
            return ExitStatus.FAILED;
        }
        Optional<TranscriptStore.Kind> outcome = store.outcome(key);
        if (outcome.isEmpty()) {
            console.out().println("\nThe function returned without writing a transcript or an error record for " + store.uriOfSource(key));
            printLogs(console, output, liveLogs);
            return ExitStatus.FAILED;
        }
        if (outcome.get() == TranscriptStore.Kind.ERROR_RECORD) {
            console.out().println("\nThe function could not transcribe this file and wrote an error record:");
            console.out().println(indent(store.read(key, TranscriptStore.Kind.ERROR_RECORD).orElse("")));
            console.out().println("\nStored\n  " + store.uri(key, TranscriptStore.Kind.ERROR_RECORD));
            printLogs(console, output, liveLogs);
            return ExitStatus.FAILED;
        }
        boolean skipped = EmfRecord.parseAll(output).stream().flatMap(r -> r.dimensionSets().stream())
                .anyMatch(d -> MetricNames.Status.SKIPPED.value().equals(d.get(MetricNames.STATUS)));
        console.out().println("\nTranscript" + (skipped ? " (the function skipped this upload: it had already transcribed this exact"
                + " object, same ETag; this is that transcript)" : ""));
        console.out().println(indent(store.read(key, TranscriptStore.Kind.TEXT).orElse("").strip()));
        console.out().println("\nStored");
        console.out().println("  " + store.uri(key, TranscriptStore.Kind.TRANSCRIPT) + "   Deepgram's response");
        console.out().println("  " + store.uri(key, TranscriptStore.Kind.TEXT) + "    the transcript above");
        reportCaptions(console, store, key);
        return ExitStatus.OK;
    }

    /** Where the caption files are, and the first cues of one of them (CAPTION_FORMATS, dg-captions). */
    private static void reportCaptions(Console console, TranscriptStore store, String key) {
        Optional<String> shown = Optional.empty();
        for (TranscriptStore.Kind kind : List.of(TranscriptStore.Kind.SRT, TranscriptStore.Kind.VTT)) {
            Optional<String> captions = store.read(key, kind);
            if (captions.isPresent()) {
                console.out().println("  " + store.uri(key, kind) + "    captions");
                shown = shown.or(() -> captions);
            }
        }
        shown.ifPresent(captions -> {
            List<String> blocks = List.of(captions.strip().split("\n\n"));
            List<String> cues = blocks.stream().filter(block -> block.contains(" --> ")).limit(3).toList();
            console.out().println("\nFirst cues" + (cues.isEmpty() ? ": none (no speech)" : ""));
            if (!cues.isEmpty()) {
                console.out().println(cues.stream().map(RunCommand::indent).collect(Collectors.joining("\n\n")));
            }
        });
    }

    private static void reportMetrics(Console console, List<EmfRecord> records) {
        console.out().println("\nMetrics (EMF lines the function printed; CloudWatch extracts them in Lambda)");
        if (records.isEmpty()) {
            console.out().println("  none");
        }
        for (EmfRecord record : records) {
            String dimensions = record.dimensionSets().stream()
                    .map(set -> set.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")))
                    .collect(Collectors.joining(" and "));
            for (EmfRecord.Metric metric : record.metrics()) {
                console.out().printf("  %-24s %10s %-13s %s / %s%n", metric.name(), Progress.number(metric.sum()), metric.unit(),
                        record.namespace(), dimensions);
            }
        }
    }

    /** Lambda's REPORT line for each invocation (the submission and the completion, by callback), from what this machine measured. */
    private static void reportDurations(Console console, FunctionDefinition function, ExecutionEnvironment.InitReport init,
                                        List<InvocationResult> invocations, OptionalLong maxMemory) {
        console.out().println("\nLambda");
        for (int i = 0; i < Math.max(1, invocations.size()); i++) {
            StringBuilder report = new StringBuilder("  REPORT");
            if (i < invocations.size()) {
                InvocationResult r = invocations.get(i);
                report.append(" RequestId: ").append(r.requestId() == null ? "-" : r.requestId())
                        .append("  Duration: ").append(millis(r.duration().toNanos())).append(" ms");
            }
            report.append("  Memory Size: ").append(function.memoryMb()).append(" MB");
            maxMemory.ifPresent(mb -> report.append("  Max Memory Used: ").append(mb).append(" MB"));
            if (i == 0) {
                // Lambda reports the init once, with the first invocation of an environment
                report.append("  Init Duration: ").append(millis(init.duration().toNanos())).append(" ms");
            }
            console.out().println(report);
        }
        console.out().println("  (init: JVM start to the runtime's first poll for an event; duration: event handed out to response)");
    }

    private static void printLogs(Console console, List<String> output, boolean alreadyShown) {
        if (!alreadyShown && !output.isEmpty()) {
            console.out().println("\nFunction output");
            output.forEach(line -> console.out().println("  | " + line));
        }
    }

    private static void row(Console console, String label, String value) {
        console.out().printf("  %-10s %s%n", label, value);
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).collect(Collectors.joining("\n"));
    }

    private static String millis(long nanos) {
        return String.format("%.2f", nanos / 1_000_000.0);
    }
}
