package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a warm container reuses: one GetSecretValue and one TCP connection to Deepgram serve 100
 * invocations. Counted from the outside: SDK calls by an SDK interceptor, connections by the
 * Deepgram stand-in's server socket.
 */
class WarmContainerTest {
    private static final int INVOCATIONS = 100;
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenOneContainer_when100UploadsArrive_thenTheSecretIsReadOnceAndOneDeepgramConnectionIsReused() {
        byte[] audio = Fixtures.bytes("audio/hello-en.wav");
        TranscribeHandler handler = function.coldStart();

        for (int i = 0; i < INVOCATIONS; i++) {
            S3Notification.Upload upload = function.upload("incoming/call-" + i + ".wav", audio);
            assertNull(function.invoke(handler, S3Events.objectCreated(upload)).thrown());
        }

        assertEquals(INVOCATIONS, function.deepgram.requests().size());
        assertEquals(1, function.getSecretValueCalls(), "GetSecretValue calls per " + INVOCATIONS + " warm invocations");
        assertEquals(1, function.deepgram.connectionCount(), "TCP connections to Deepgram per " + INVOCATIONS + " warm invocations");
        System.err.printf("MEASURED warm container: %d invocations, %d GetSecretValue call(s), %d TCP connection(s) to Deepgram%n",
                INVOCATIONS, function.getSecretValueCalls(), function.deepgram.connectionCount());
    }
}
