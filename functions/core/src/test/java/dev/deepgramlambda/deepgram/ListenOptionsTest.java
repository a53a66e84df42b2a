package dev.deepgramlambda.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenOptionsTest {

    @Test
    void givenAQueryString_whenParsed_thenOptionsKeepOrderRepeatsAndDecoding() {
        ListenOptions options = ListenOptions.parse("smart_format=true&keyterm=Deep%20gram&keyterm=nova&punctuate");

        assertEquals(List.of(
                new ListenOptions.Option("smart_format", "true"),
                new ListenOptions.Option("keyterm", "Deep gram"),
                new ListenOptions.Option("keyterm", "nova"),
                new ListenOptions.Option("punctuate", "true")), options.asList());
    }

    @Test
    void givenAnOverride_whenApplied_thenItReplacesEveryEarlierValue() {
        ListenOptions options = ListenOptions.parse("diarize=false&language=en").with("diarize", "true");

        assertEquals(List.of(new ListenOptions.Option("language", "en"), new ListenOptions.Option("diarize", "true")),
                options.asList());
    }

    @Test
    void givenOptionsTheFunctionOwnsOrCannotHonour_whenParsed_thenTheyAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("model=base"))
                .getMessage().contains("DEEPGRAM_MODEL"));
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("callback=https://example.com"));
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("tag=mine"));
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("Bad Name=1"));
        assertThrows(IllegalArgumentException.class, () -> ListenOptions.parse("language="));
    }
}
