package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line as a whole: every command describes itself, and mistakes are usage errors. */
class DeepgramLambdaTest {
    private static final List<String> COMMANDS = List.of("run", "smoke", "load", "stand-in");

    @Test
    void givenEachCommand_whenHelpIsAsked_thenItPrintsItsUsageFirstAndExits0() {
        CliRun overview = CliRun.of(Map.of(), "--help");

        for (String command : COMMANDS) {
            CliRun help = CliRun.of(Map.of(), command, "--help");
            CliRun viaHelpCommand = CliRun.of(Map.of(), "help", command);

            assertEquals(0, help.status(), help.toString());
            assertTrue(help.out().startsWith("Usage: deepgram-lambda " + command + " "), help.out());
            assertTrue(help.out().contains("-h, --help"), help.out());
            assertEquals(help.out(), viaHelpCommand.out());
            assertTrue(overview.out().contains("\n  " + command + " "), command + " listed in " + overview.out());
        }
    }

    @Test
    void givenAnOptionOutOfRange_whenParsed_thenNothingRunsAndTheRangeIsNamed() {
        CliRun run = CliRun.of(Map.of(), "stand-in", "--seconds", "0");

        assertEquals(2, run.status());
        assertEquals("error: --seconds must be between 1 and 2147483647, got 0\n"
                + "Run 'deepgram-lambda stand-in --help' for usage.\n", run.err());
        assertEquals("", run.out(), "the stand-in did not start");
    }

    @Test
    void givenAnEndpointThatIsNotHttp_whenParsed_thenItIsAUsageError() {
        CliRun smoke = CliRun.of(Map.of(), "smoke", "--stack-name", "s", "--endpoint-url", "ftp://127.0.0.1");

        assertEquals(2, smoke.status());
        assertTrue(smoke.err().contains("Invalid value for option '--endpoint-url': must be an http(s) URL, got 'ftp://127.0.0.1'"),
                smoke.err());
    }
}
