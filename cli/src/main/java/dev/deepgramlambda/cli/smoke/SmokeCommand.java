package dev.deepgramlambda.cli.smoke;

import dev.deepgramlambda.cli.Audio;
import dev.deepgramlambda.cli.Bounds;
import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.HelpOption;
import dev.deepgramlambda.cli.Progress;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.aws.AwsLocation;
import dev.deepgramlambda.cli.aws.AwsTarget;
import dev.deepgramlambda.cli.aws.FailureQueue;
import dev.deepgramlambda.cli.aws.OutcomeWatch;
import dev.deepgramlambda.cli.aws.TranscriptStore;
import dev.deepgramlambda.cli.stack.Deployment;
import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.deepgram.ListenResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.s3.S3Client;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The go-live (D-0) smoke test of a deployed stack: its outputs are there, an uploaded sample comes
 * back as a transcript within a time limit, and the health endpoint answers 200.
 */
@Command(name = "smoke", sortOptions = false, abbreviateSynopsis = true,
        header = "Smoke-test a deployed stack: upload a sample, await its transcript, check health (D-0).",
        description = {"Smoke-tests a deployed stack (go-live day, D-0): reads its outputs, uploads a sample and waits for its "
                + "transcript, checks the health URL, and reports PASS or FAIL with reasons."},
        footer = {"", "Reads the stack outputs " + Deployment.AUDIO_BUCKET_NAME + ", " + Deployment.UPLOAD_PREFIX + ", "
                + Deployment.OUTPUT_PREFIX + " and " + Deployment.HEALTH_URL + " (and " + Deployment.FAILURE_QUEUE_URL
                + " when present, to explain a missing transcript). A Function URL with IAM auth is called SigV4-signed with "
                + "your credentials.",
                "Exit status: 0 PASS, 1 FAIL, 2 bad arguments."})
public final class SmokeCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--stack-name", paramLabel = "NAME", required = true, description = "The CloudFormation stack sam deploy created (required).")
    private String stackName;

    @Mixin
    private AwsLocation location;

    @Option(names = "--file", paramLabel = "AUDIO",
            description = "Upload this file instead of the bundled sample (" + Audio.BUNDLED_SAMPLE + ").")
    private Path file;

    private Duration timeout;
    private Duration pollInterval;
    private Duration healthTimeout;

    @Option(names = "--keep", description = "Keep the uploaded sample and its transcript (removed after a PASS by default).")
    private boolean keep;

    public SmokeCommand(Console console) {
        this.console = console;
    }

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the transcript, 1 to 3600 (default ${DEFAULT-VALUE}).")
    void timeout(int seconds) {
        timeout = Duration.ofSeconds(Bounds.within(spec, "--timeout", seconds, 1, 3600));
    }

    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "1000",
            description = "How often to look for it, 50 to 60000 (default ${DEFAULT-VALUE}).")
    void pollInterval(int millis) {
        pollInterval = Duration.ofMillis(Bounds.within(spec, "--poll-interval", millis, 50, 60_000));
    }

    @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Timeout of the health request, 1 to 300 (default ${DEFAULT-VALUE}).")
    void healthTimeout(int seconds) {
        healthTimeout = Duration.ofSeconds(Bounds.within(spec, "--health-timeout", seconds, 1, 300));
    }

    @Override
    public Integer call() throws UsageException {
        Audio audio = file != null ? Audio.read(file) : Audio.bundledSample();
        AwsTarget aws = location.account();

        console.out().println("Smoke test of stack '" + stackName + "' (" + aws.describe() + ")");
        Checklist checklist = new Checklist(console);
        Deployment deployment;
        try {
            deployment = Deployment.read(aws, stackName, List.of(Deployment.AUDIO_BUCKET_NAME, Deployment.UPLOAD_PREFIX,
                    Deployment.OUTPUT_PREFIX, Deployment.HEALTH_URL));
        } catch (Deployment.UnusableException e) {
            checklist.fail("stack outputs", List.of(e.getMessage()));
            return checklist.finish();
        }
        checklist.pass("stack outputs", List.of("bucket " + deployment.bucket() + ", uploads under " + deployment.uploadPrefix()
                + ", outputs under " + deployment.outputPrefix(), "health " + deployment.healthUrl()
                + deployment.failureQueueUrl().map(q -> ", failure queue " + q).orElse("")));
        checkTranscript(aws, deployment, audio, timeout, pollInterval, keep, checklist);
        checkHealth(aws, deployment, healthTimeout, checklist);
        return checklist.finish();
    }

    private static void checkTranscript(AwsTarget aws, Deployment deployment, Audio audio, Duration timeout, Duration pollInterval,
                                        boolean keep, Checklist checklist) {
        String key = deployment.uploadPrefix() + "smoke-test/" + STAMP.format(Instant.now()) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + audio.extension();
        try (S3Client s3 = aws.s3(); SqsClient sqs = aws.client(SqsClient.builder())) {
            TranscriptStore store = new TranscriptStore(s3, deployment.bucket(), deployment.outputPrefix());
            Optional<FailureQueue> failureQueue = deployment.failureQueueUrl().map(url -> new FailureQueue(sqs, url));
            try (OutcomeWatch watch = new OutcomeWatch(store, key, pollInterval, failureQueue)) {
                var arrival = watch.await(key);
                store.upload(key, audio.body(), audio.contentType(), Map.of());
                long uploaded = System.nanoTime();
                checklist.note("uploaded", store.uriOfSource(key) + " (" + audio.size() + " bytes)");
                OutcomeWatch.Arrival outcome = awaitWithProgress(arrival, uploaded, timeout, checklist.progress("waiting"));
                if (outcome == null) {
                    checklist.fail("transcript", notArrived(deployment, failureQueue, store, key, timeout, watch));
                    checklist.note("kept", store.uriOfSource(key) + " for investigation");
                    return;
                }
                Duration latency = Duration.ofNanos(outcome.seenNanos() - uploaded);
                boolean passed = switch (outcome.outcome()) {
                    case TRANSCRIPT -> reportTranscript(store, key, latency, checklist);
                    case ERROR_RECORD -> reportErrorRecord(store, key, latency, checklist);
                    case FAILURE_QUEUE -> {
                        checklist.fail("transcript", List.of("Lambda gave up on it after " + Progress.seconds(latency)
                                + ": the failure queue holds it: " + outcome.detail()));
                        yield false;
                    }
                };
                if (passed && !keep) {
                    store.delete(key);
                    checklist.note("cleaned up", "removed the sample and its transcript");
                } else {
                    checklist.note("kept", store.uriOfSource(key) + " and its outputs");
                }
            }
        } catch (RuntimeException e) {
            checklist.fail("transcript", List.of("AWS refused: " + e.getMessage()));
        }
    }

    /** The arrival, or null when {@code timeout} passed first; the progress line shows the seconds waited. */
    private static OutcomeWatch.Arrival awaitWithProgress(java.util.concurrent.CompletableFuture<OutcomeWatch.Arrival> arrival,
                                                          long since, Duration timeout, Progress progress) {
        long deadline = since + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            String waited = Progress.seconds(Duration.ofNanos(now - since));
            if (now >= deadline) {
                progress.finish("gave up after " + waited);
                return null;
            }
            progress.update(waited + " of " + timeout.toSeconds() + " s for the transcript...");
            try {
                OutcomeWatch.Arrival outcome = arrival.get(Math.min(250_000_000L, deadline - now), TimeUnit.NANOSECONDS);
                progress.finish("outcome after " + Progress.seconds(Duration.ofNanos(outcome.seenNanos() - since)));
                return outcome;
            } catch (TimeoutException stillWaiting) {
                // redraw and wait on
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static boolean reportTranscript(TranscriptStore store, String key, Duration latency, Checklist checklist) {
        String text = store.read(key, TranscriptStore.Kind.TEXT).orElse("").strip();
        String json = store.read(key, TranscriptStore.Kind.TRANSCRIPT).orElse("{}");
        String audioSeconds;
        try (ListenResponse transcript = ListenResponse.of(json)) {
            audioSeconds = transcript.durationSeconds().stream()
                    .mapToObj(s -> String.format("%.1f s of audio", s)).findFirst().orElse("audio length unknown");
        } catch (DeepgramException e) {
            checklist.fail("transcript", List.of("the transcript at " + store.uri(key, TranscriptStore.Kind.TRANSCRIPT)
                    + " is not JSON: " + e.getMessage()));
            return false;
        }
        if (text.isEmpty()) {
            checklist.fail("transcript", List.of("arrived after " + Progress.seconds(latency) + " but is empty ("
                    + audioSeconds + "): Deepgram heard no speech; check DEEPGRAM_MODEL and the language",
                    store.uri(key, TranscriptStore.Kind.TEXT)));
            return false;
        }
        String excerpt = text.replaceAll("\\s+", " ");
        checklist.pass("transcript", List.of("arrived after " + Progress.seconds(latency) + " at "
                + store.uri(key, TranscriptStore.Kind.TRANSCRIPT) + " (" + audioSeconds + ")",
                "\"" + (excerpt.length() > 100 ? excerpt.substring(0, 100) + "..." : excerpt) + "\""));
        return true;
    }

    private static boolean reportErrorRecord(TranscriptStore store, String key, Duration latency, Checklist checklist) {
        checklist.fail("transcript", List.of("the function wrote an error record after " + Progress.seconds(latency) + ": "
                + store.uri(key, TranscriptStore.Kind.ERROR_RECORD), store.errorSummary(key)));
        return false;
    }

    private static List<String> notArrived(Deployment deployment, Optional<FailureQueue> failureQueue, TranscriptStore store,
                                           String key, Duration timeout, OutcomeWatch watch) {
        List<String> details = new ArrayList<>(List.of("neither a transcript nor an error record within " + timeout.toSeconds()
                + " s at " + store.uri(key, TranscriptStore.Kind.TRANSCRIPT)));
        if (watch.lastError() != null) {
            details.add("looking for it failed: " + watch.lastError().getMessage());
        }
        failureQueue.ifPresent(queue -> {
            try {
                String reason = queue.failures(key::equals).get(key);
                details.add(reason != null ? "the failure queue holds it: " + reason
                        : "nothing in the failure queue for it yet (Lambda retries a failing event once, about a minute later, first)");
            } catch (RuntimeException e) {
                details.add("could not read the failure queue: " + e.getMessage());
            }
        });
        details.add("check that uploads trigger TranscribeFunction and read its logs: sam logs -n TranscribeFunction --stack-name "
                + deployment.stackName());
        return details;
    }

    private static void checkHealth(AwsTarget aws, Deployment deployment, Duration timeout, Checklist checklist) {
        URI url;
        try {
            url = URI.create(deployment.healthUrl());
        } catch (IllegalArgumentException e) {
            checklist.fail("health", List.of("output " + Deployment.HEALTH_URL + " is not a URL: '" + deployment.healthUrl() + "'"));
            return;
        }
        try {
            HealthCheck.Verdict verdict = new HealthCheck(aws, timeout).check(url);
            List<String> details = HealthCheck.summary(verdict);
            if (verdict.healthy()) {
                checklist.pass("health", details);
            } else {
                checklist.fail("health", details);
            }
        } catch (IOException | IllegalArgumentException e) {
            checklist.fail("health", List.of("no answer from " + url + ": " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            checklist.fail("health", List.of("interrupted"));
        }
    }
}
