package dev.deepgramlambda.cli.run;

import dev.deepgramlambda.cli.Bounds;
import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.ExitStatus;
import dev.deepgramlambda.cli.HelpOption;
import dev.deepgramlambda.cli.pipeline.DeepgramAccess;
import dev.deepgramlambda.standin.FakeDeepgram;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves the Deepgram stand-in the tests use, for trying the run command without a Deepgram
 * account: point {@code DEEPGRAM_BASE_URL} at it from another shell.
 */
@Command(name = "stand-in", abbreviateSynopsis = true,
        header = "Serve the Deepgram stand-in on loopback, for DEEPGRAM_BASE_URL.",
        description = {"Serves a Deepgram stand-in on loopback until interrupted (Ctrl-C): POST /v1/listen checks the key, "
                + "fetches {\"url\":...} bodies, rejects what is not audio, and answers with a recorded nova-3 transcript (not one "
                + "of your audio); GET /v1/projects answers 200."},
        footer = {"", "It accepts the run command's placeholder key, so DEEPGRAM_API_KEY need not be set:",
                "  DEEPGRAM_BASE_URL=<the URL it prints> scripts/transcribe.sh samples/hello-en.wav"})
public final class StandInCommand implements Callable<Integer> {
    private final Console console;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    /** Until interrupted, unless --seconds says otherwise. */
    private Duration serveFor = Duration.ofMillis(Long.MAX_VALUE);

    @Option(names = "--seconds", paramLabel = "N", description = "Stop after N seconds instead of waiting for Ctrl-C.")
    void seconds(int seconds) {
        serveFor = Duration.ofSeconds(Bounds.within(spec, "--seconds", seconds, 1, Integer.MAX_VALUE));
    }

    public StandInCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        try (FakeDeepgram standIn = new FakeDeepgram().acceptKeys(FakeDeepgram.VALID_KEY, DeepgramAccess.PLACEHOLDER_KEY)) {
            console.out().println("Deepgram stand-in listening at " + standIn.baseUrl());
            console.out().println("In another shell:  export DEEPGRAM_BASE_URL=" + standIn.baseUrl());
            console.out().flush();
            Thread.sleep(serveFor.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitStatus.OK;
    }
}
