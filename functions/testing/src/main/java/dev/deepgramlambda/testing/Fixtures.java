package dev.deepgramlambda.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepgramlambda.standin.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Test resources: Deepgram responses, audio clips and Lambda events as JSON files. The recorded
 * Deepgram responses and the sample clip come with the stand-ins module, the other clips and the
 * repository's sample events ({@code events/}) with this one.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    public static byte[] bytes(String resource) {
        return Resources.bytes(resource);
    }

    public static String text(String resource) {
        return Resources.text(resource);
    }

    /** Parses JSON text, e.g. a handler's answer or a stored object. */
    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deserializes an event exactly as the Lambda Java runtime does: aws-lambda-java-serialization's
     * serializer for the event class (plain Jackson cannot bind {@code Records}).
     */
    public static <T> T event(Class<T> type, String json) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, Fixtures.class.getClassLoader());
        return serializer.fromJson(json);
    }
}
