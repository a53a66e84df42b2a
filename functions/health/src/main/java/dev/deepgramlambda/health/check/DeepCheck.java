package dev.deepgramlambda.health.check;

import dev.deepgramlambda.deepgram.AudioBody;
import dev.deepgramlambda.deepgram.CallStats;
import dev.deepgramlambda.deepgram.Deadline;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.deepgram.DeepgramException;
import dev.deepgramlambda.deepgram.ListenOptions;
import dev.deepgramlambda.deepgram.ListenRequest;
import dev.deepgramlambda.secrets.SecretCache;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The optional deep check: transcribes a bundled one-second clip through the production path
 * ({@link DeepgramClient#listen}, same key recovery), proving more than connectivity: the model, the
 * project's credits and the transcription service itself. It costs money, so it runs only on
 * scheduled runs, at most once per interval, and only while the connectivity check passes.
 */
final class DeepCheck {
    static final String CLIP = "deep-check/one-second-tone.wav";
    /** Shows up in Deepgram's usage as the source of these requests. */
    static final String TAG = "health-deep-check";

    private final DeepgramClient deepgram;
    private final SecretCache keys;
    private final CheckSettings settings;
    private final byte[] clip;
    private final String notRunYet;

    /** Warm-container state: the last deep check, reported until the next one is due. */
    private CheckResult last;
    private Instant lastRunAt;

    DeepCheck(DeepgramClient deepgram, SecretCache keys, CheckSettings settings) {
        this.deepgram = deepgram;
        this.keys = keys;
        this.settings = settings;
        this.clip = loadClip();
        this.notRunYet = "runs on scheduled checks every " + settings.deepCheckEvery().toMinutes()
                + " min; not run yet in this container";
    }

    /**
     * The current deep-check result, running the check first when {@code mayRun} and it is due.
     * Between runs the last result stands, so a failed transcription keeps the verdict unhealthy
     * until a later deep check succeeds.
     */
    CheckResult result(Instant now, boolean mayRun, Deadline deadline) {
        boolean due = lastRunAt == null || !now.isBefore(lastRunAt.plus(settings.deepCheckEvery()));
        if (mayRun && due) {
            last = transcribe(deadline);
            lastRunAt = now;
        }
        return last != null ? last : CheckResult.of(Status.SKIPPED, notRunYet);
    }

    private CheckResult transcribe(Deadline deadline) {
        ListenRequest request = new ListenRequest(settings.model(), ListenOptions.empty(), TAG,
                new AudioBody.Streamed("audio/wav", clip.length, () -> new ByteArrayInputStream(clip)));
        long started = System.nanoTime();
        try {
            deepgram.listen(request, keys, deadline, new CallStats());
            return CheckResult.answered(Status.HEALTHY, "transcribed the bundled one-second clip with " + settings.model(),
                    Duration.ofNanos(System.nanoTime() - started), 200);
        } catch (DeepgramException e) {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            return CheckResult.answered(DeepgramFailure.status(e),
                    "transcribing the bundled clip failed: " + DeepgramFailure.reason(e, settings.timeout()), latency, e.status());
        }
    }

    private static byte[] loadClip() {
        try (InputStream in = DeepCheck.class.getClassLoader().getResourceAsStream(CLIP)) {
            if (in == null) {
                throw new IllegalStateException("the deployment package lacks " + CLIP);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CLIP, e);
        }
    }
}
