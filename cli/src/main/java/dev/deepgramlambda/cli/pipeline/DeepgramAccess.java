package dev.deepgramlambda.cli.pipeline;

import dev.deepgramlambda.cli.Console;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.config.Settings;
import java.util.Optional;

/**
 * Which Deepgram the function calls and with which key. The real API needs a real key, checked
 * before anything starts. Anything else at {@code DEEPGRAM_BASE_URL} (a stand-in, a self-hosted
 * Deepgram) gets a placeholder key when none is set; {@code --stand-in} starts the bundled stand-in.
 *
 * @param apiKey empty when an existing secret already holds the key
 * @param standIn the bundled stand-in when this run started it (closed with this object)
 */
public record DeepgramAccess(String baseUrl, Optional<String> apiKey, String description, Optional<FakeDeepgram> standIn)
        implements AutoCloseable {
    public static final String API_KEY = "DEEPGRAM_API_KEY";
    /** The key sent to a Deepgram other than api.deepgram.com when DEEPGRAM_API_KEY is unset. */
    public static final String PLACEHOLDER_KEY = "stand-in-key";

    static final String NO_KEY = """
            DEEPGRAM_API_KEY is not set, and the function would call the real Deepgram API (%s).
            To transcribe with Deepgram you need an API key:
              1. sign up or log in at https://console.deepgram.com
              2. create an API key there (a key with the Member role is enough)
              3. export DEEPGRAM_API_KEY=<your key>   and run this command again
            The key goes into the function's secret only; it is never printed or logged.
            To try the pipeline without an account, add --stand-in (a local Deepgram stand-in that answers
            with a recorded transcript), or point DEEPGRAM_BASE_URL at a stand-in of your own.""";

    /** Whether this is Deepgram's hosted API, which cannot reach anything on this machine's loopback. */
    public boolean real() {
        return isHostedApi(baseUrl);
    }

    private static boolean isHostedApi(String baseUrl) {
        return baseUrl.replaceAll("/+$", "").equals(Settings.DEEPGRAM_BASE_URL.documentedDefault());
    }

    static DeepgramAccess resolve(Console console, boolean startStandIn, boolean keyInExistingSecret) throws UsageException {
        if (startStandIn) {
            FakeDeepgram fake = new FakeDeepgram();
            return new DeepgramAccess(fake.baseUrl(), Optional.of(FakeDeepgram.VALID_KEY),
                    "the bundled Deepgram stand-in at " + fake.baseUrl()
                            + " (it answers with a recorded nova-3 transcript, not one of your audio)", Optional.of(fake));
        }
        String baseUrl = console.variable(Settings.DEEPGRAM_BASE_URL.name()).orElse(Settings.DEEPGRAM_BASE_URL.documentedDefault());
        Optional<String> key = console.variable(API_KEY);
        boolean real = isHostedApi(baseUrl);
        if (key.isPresent() || keyInExistingSecret) {
            return new DeepgramAccess(baseUrl, key, (real ? "Deepgram at " : "a Deepgram stand-in at ") + baseUrl, Optional.empty());
        }
        if (real) {
            throw new UsageException(NO_KEY.formatted(baseUrl));
        }
        return new DeepgramAccess(baseUrl, Optional.of(PLACEHOLDER_KEY), "a Deepgram stand-in at " + baseUrl
                + " (DEEPGRAM_API_KEY unset: sending the placeholder key '" + PLACEHOLDER_KEY + "')", Optional.empty());
    }

    @Override
    public void close() {
        standIn.ifPresent(FakeDeepgram::close);
    }
}
