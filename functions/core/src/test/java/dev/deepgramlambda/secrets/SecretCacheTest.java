package dev.deepgramlambda.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.ApiKey;
import dev.deepgramlambda.testing.ManualClock;
import dev.deepgramlambda.testing.StdoutCapture;
import dev.deepgramlambda.testing.TestAws;
import dev.deepgramlambda.testing.TestBed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Against a real moto_server; SDK calls are counted by an SDK interceptor, not by stubbing our code. */
class SecretCacheTest {
    private static final String SECRET = "deepgram/api-key";
    @RegisterExtension
    final TestBed bed = TestBed.onMoto();
    private final TestAws aws = bed.aws;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T12:00:00Z"));
    /** The client the cache under test reads through: its calls are counted, the arranging ones are not. */
    private final SecretsManagerClient client =
            AwsClientSettings.from(new Env(bed.environment())).withInterceptor(bed.callCounter()).build(SecretsManagerClient.builder());

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void givenAFreshCache_whenReadManyTimesWithinTheTtl_thenSecretsManagerIsCalledOnce() {
        aws.createSecret(SECRET, "key-one");
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);

        for (int i = 0; i < 100; i++) {
            assertEquals("key-one", cache.current().value());
            clock.advance(Duration.ofSeconds(2));
        }

        assertEquals(1, bed.calls("GetSecretValue"));
    }

    @Test
    void givenTheTtlHasPassed_whenRead_thenTheNewValueIsFetched() {
        aws.createSecret(SECRET, "key-one");
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);
        assertEquals("key-one", cache.current().value());
        aws.putSecret(SECRET, "key-two");

        clock.advance(Duration.ofSeconds(299));
        assertEquals("key-one", cache.current().value());
        clock.advance(Duration.ofSeconds(2));
        assertEquals("key-two", cache.current().value());
        assertEquals(2, bed.calls("GetSecretValue"));
    }

    @Test
    void givenACachedKey_whenTheRefreshFails_thenTheCachedKeyKeepsServingAndAWarningIsLogged() {
        aws.createSecret(SECRET, "key-one");
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);
        cache.current();
        aws.secrets().deleteSecret(b -> b.secretId(SECRET).forceDeleteWithoutRecovery(true));
        clock.advance(Duration.ofSeconds(301));

        List<JsonNode> logs;
        try (StdoutCapture stdout = new StdoutCapture()) {
            assertEquals("key-one", cache.current().value());
            assertEquals("key-one", cache.current().value());
            logs = stdout.logLines();
        }

        assertEquals(1, logs.size(), "one warning, then the stale value serves quietly until the retry interval");
        assertEquals("WARN", logs.get(0).path("level").asText());
        assertFalse(logs.get(0).toString().contains("key-one"));
        assertEquals(2, bed.calls("GetSecretValue"));
        clock.advance(SecretCache.STALE_RETRY_INTERVAL.plusSeconds(1));
        assertEquals("key-one", cache.current().value());
        assertEquals(3, bed.calls("GetSecretValue"), "the refresh is retried after the stale retry interval");
    }

    @Test
    void givenNoCachedKey_whenTheSecretIsMissing_thenTheErrorNamesTheSecret() {
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);

        SecretUnavailableException error = assertThrows(SecretUnavailableException.class, cache::current);

        assertTrue(error.getMessage().contains(SECRET), error.getMessage());
    }

    @Test
    void givenARejectedKey_whenTheSecretWasRotated_thenRenewalReturnsTheNewKeyBeforeTheTtl() {
        aws.createSecret(SECRET, "old-key");
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);
        ApiKey rejected = cache.current();
        aws.putSecret(SECRET, "new-key");

        Optional<ApiKey> renewed = cache.renewAfterRejection(rejected);

        assertEquals("new-key", renewed.orElseThrow().value());
        assertEquals("new-key", cache.current().value(), "the renewed value is cached");
    }

    @Test
    void givenARejectedKey_whenTheSecretIsUnchanged_thenRenewalOffersNothingAndTheFallbackIsAvailable() {
        aws.createSecret(SECRET, "{\"apiKey\": \"same-key\", \"fallbackApiKey\": \"spare-key\"}");
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);
        ApiKey rejected = cache.current();

        assertEquals(Optional.empty(), cache.renewAfterRejection(rejected));
        ApiKey fallback = cache.fallback().orElseThrow();
        assertEquals("spare-key", fallback.value());
        assertEquals(ApiKey.Slot.FALLBACK, fallback.slot());
    }

    @Test
    void givenARejectedPrimary_whenAskedForTheCurrentKey_thenTheFallbackServesUntilTheTtlOrANewPrimary() {
        aws.createSecret(SECRET, "{\"apiKey\": \"same-key\", \"fallbackApiKey\": \"spare-key\"}");
        SecretCache cache = new SecretCache(client, SECRET, Duration.ofSeconds(300), clock);
        cache.renewAfterRejection(cache.current());

        assertEquals(ApiKey.Slot.FALLBACK, cache.current().slot());
        clock.advance(Duration.ofSeconds(301));
        assertEquals(ApiKey.Slot.PRIMARY, cache.current().slot(), "after the TTL the primary gets another chance");

        cache.renewAfterRejection(cache.current());
        aws.putSecret(SECRET, "{\"apiKey\": \"rotated-key\", \"fallbackApiKey\": \"spare-key\"}");
        assertEquals("rotated-key", cache.renewAfterRejection(cache.current()).orElseThrow().value());
        assertEquals("rotated-key", cache.current().value());
        assertEquals(ApiKey.Slot.PRIMARY, cache.current().slot());
    }
}
