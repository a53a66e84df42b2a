package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.cli.CommandLine.Option;
import dev.deepgramlambda.cli.CommandLine.Positional;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final CommandLine.Spec SPEC = new CommandLine.Spec("demo", "A demo.", "A demo command.",
            List.of(new Positional("FILE", "a file")),
            List.of(Option.flag("--fast", "go fast"), Option.value("--count", "N", "how many"),
                    Option.repeatable("--env", "NAME=VALUE", "variables")), "");

    @Test
    void givenEveryOptionForm_whenParsed_thenValuesFlagsRepeatsAndPositionalsAreRead() throws UsageException {
        CommandLine line = CommandLine.parse(SPEC, List.of("--count=3", "in.wav", "--fast", "--env", "A=1", "--env", "B=x=y"));

        assertEquals(3, line.integer("--count", 1, 1, 10));
        assertTrue(line.flag("--fast"));
        assertEquals("in.wav", line.positional(0));
        assertEquals(Map.of("A", "1", "B", "x=y"), line.pairs("--env"));
    }

    @Test
    void givenMistakes_whenParsed_thenEachIsNamed() {
        assertEquals("--count needs a value: --count N",
                assertThrows(UsageException.class, () -> CommandLine.parse(SPEC, List.of("f", "--count"))).getMessage());
        assertEquals("--fast is a flag and takes no value",
                assertThrows(UsageException.class, () -> CommandLine.parse(SPEC, List.of("f", "--fast=yes"))).getMessage());
        assertEquals("--count given more than once",
                assertThrows(UsageException.class, () -> CommandLine.parse(SPEC, List.of("f", "--count", "1", "--count", "2"))).getMessage());
        assertEquals("unexpected argument 'g'",
                assertThrows(UsageException.class, () -> CommandLine.parse(SPEC, List.of("f", "g"))).getMessage());
        assertEquals("--env takes NAME=VALUE, got 'A'",
                assertThrows(UsageException.class, () -> CommandLine.parse(SPEC, List.of("f", "--env", "A")).pairs("--env")).getMessage());
        assertEquals("--count must be between 1 and 10, got 11",
                assertThrows(UsageException.class, () -> CommandLine.parse(SPEC, List.of("f", "--count", "11")).integer("--count", 1, 1, 10))
                        .getMessage());
    }

    @Test
    void givenHelp_whenParsed_thenMissingArgumentsAreNotAnError() throws UsageException {
        assertTrue(CommandLine.parse(SPEC, List.of("--help")).helpRequested());
    }
}
