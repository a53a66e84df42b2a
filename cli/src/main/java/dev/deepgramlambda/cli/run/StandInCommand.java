package dev.deepgramlambda.cli.run;

import dev.deepgramlambda.cli.Command;
import dev.deepgramlambda.cli.CommandLine;
import dev.deepgramlambda.cli.CommandLine.Option;
import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.Main;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.pipeline.DeepgramAccess;
import dev.deepgramlambda.standin.FakeDeepgram;
import java.time.Duration;
import java.util.List;

/**
 * Serves the Deepgram stand-in the tests use, for trying the run command without a Deepgram
 * account: point {@code DEEPGRAM_BASE_URL} at it from another shell.
 */
public final class StandInCommand implements Command {
    static final String SECONDS = "--seconds";

    private static final CommandLine.Spec SPEC = new CommandLine.Spec("stand-in",
            "Serve the Deepgram stand-in on loopback, for DEEPGRAM_BASE_URL.",
            """
            Serves a Deepgram stand-in on loopback until interrupted (Ctrl-C): POST /v1/listen checks the
            key, fetches {"url":...} bodies, rejects what is not audio, and answers with a recorded nova-3
            transcript (not one of your audio); GET /v1/projects answers 200.""",
            List.of(),
            List.of(Option.value(SECONDS, "N", "Stop after N seconds instead of waiting for Ctrl-C.")),
            """
            It accepts the run command's placeholder key, so DEEPGRAM_API_KEY need not be set:
              DEEPGRAM_BASE_URL=<the URL it prints> scripts/transcribe.sh audio.wav""");

    @Override
    public CommandLine.Spec spec() {
        return SPEC;
    }

    @Override
    public int run(CommandLine arguments, Console console) throws UsageException {
        Duration serveFor = arguments.seconds(SECONDS, Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        try (FakeDeepgram standIn = new FakeDeepgram().acceptKeys(FakeDeepgram.VALID_KEY, DeepgramAccess.PLACEHOLDER_KEY)) {
            console.out().println("Deepgram stand-in listening at " + standIn.baseUrl());
            console.out().println("In another shell:  export DEEPGRAM_BASE_URL=" + standIn.baseUrl());
            console.out().flush();
            Thread.sleep(serveFor.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Main.OK;
    }
}
