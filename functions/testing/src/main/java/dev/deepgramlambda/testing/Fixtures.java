package dev.deepgramlambda.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.deepgramlambda.standin.Resources;

/**
 * Test resources: Deepgram responses, audio clips and Lambda events as JSON files. The recorded
 * Deepgram responses and the sample clip come with the stand-ins module, the other clips with this one.
 */
public final class Fixtures {
    private Fixtures() {}

    public static byte[] bytes(String resource) {
        return Resources.bytes(resource);
    }

    public static String text(String resource) {
        return Resources.text(resource);
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
