package dev.deepgramlambda.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeepgramCredentialsTest {

    @Test
    void givenABareKey_whenParsed_thenItIsThePrimaryKeyWithoutFallback() {
        DeepgramCredentials credentials = DeepgramCredentials.parse("  abc123secret \n");

        assertEquals("abc123secret", credentials.apiKey());
        assertEquals(Optional.empty(), credentials.fallbackApiKey());
    }

    @Test
    void givenRotationJsonWithUnknownFields_whenParsed_thenKnownFieldsAreReadAndOthersIgnored() {
        DeepgramCredentials credentials = DeepgramCredentials.parse("""
                {"apiKey": "primary-1", "fallbackApiKey": "fallback-1", "keyId": "k-1", "projectId": "p-1",
                 "expiresAt": "2027-02-27T00:00:00Z", "previousKeyId": "k-0", "rotatedBy": "stack"}""");

        assertEquals("primary-1", credentials.apiKey());
        assertEquals(Optional.of("fallback-1"), credentials.fallbackApiKey());
        assertEquals(Optional.of("k-1"), credentials.keyId());
        assertEquals(Optional.of("p-1"), credentials.projectId());
        assertEquals(Optional.of(Instant.parse("2027-02-27T00:00:00Z")), credentials.expiresAt());
    }

    @Test
    void givenJsonWithoutApiKey_whenParsed_thenTheErrorNamesTheMissingFieldButNotTheSecret() {
        SecretFormatException error = assertThrows(SecretFormatException.class,
                () -> DeepgramCredentials.parse("{\"fallbackApiKey\": \"very-secret-value\"}"));

        assertTrue(error.getMessage().contains("\"apiKey\""), error.getMessage());
        assertFalse(error.getMessage().contains("very-secret-value"));
    }

    @Test
    void givenBrokenJson_whenParsed_thenTheErrorSaysSoWithoutQuotingIt() {
        SecretFormatException error = assertThrows(SecretFormatException.class,
                () -> DeepgramCredentials.parse("{\"apiKey\": \"very-secret-value\""));

        assertTrue(error.getMessage().contains("not valid JSON"), error.getMessage());
        assertFalse(error.getMessage().contains("very-secret-value"));
    }

    @Test
    void givenEmptyOrWhitespaceSecrets_whenParsed_thenTheyAreRejected() {
        assertThrows(SecretFormatException.class, () -> DeepgramCredentials.parse("   "));
        assertThrows(SecretFormatException.class, () -> DeepgramCredentials.parse("two words"));
    }

    @Test
    void givenAnExpiryWrittenByHand_whenParsed_thenPlainDatesAndOffsetsAreUnderstoodAndNonsenseIsIgnored() {
        assertEquals(Optional.of(Instant.parse("2027-02-27T00:00:00Z")),
                DeepgramCredentials.parse("{\"apiKey\": \"k\", \"expiresAt\": \"2027-02-27\"}").expiresAt());
        assertEquals(Optional.of(Instant.parse("2027-02-26T23:00:00Z")),
                DeepgramCredentials.parse("{\"apiKey\": \"k\", \"expiresAt\": \"2027-02-27T00:00:00+01:00\"}").expiresAt());
        DeepgramCredentials nonsense = DeepgramCredentials.parse("{\"apiKey\": \"k\", \"expiresAt\": \"soon\"}");
        assertEquals("k", nonsense.apiKey(), "an unreadable optional field must not stop transcription");
        assertEquals(Optional.empty(), nonsense.expiresAt());
    }

    @Test
    void givenCredentials_whenPrinted_thenNoKeyValueAppears() {
        DeepgramCredentials credentials = DeepgramCredentials.parse("{\"apiKey\": \"primary-xyz\", \"fallbackApiKey\": \"fallback-xyz\"}");

        assertFalse(credentials.toString().contains("xyz"), credentials.toString());
    }
}
