package dev.deepgramlambda.testing;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.deepgramlambda.standin.S3Notification;

/** S3 notifications as the Lambda runtime hands them to a handler: deserialized by its own serializer. */
public final class S3Events {
    private S3Events() {}

    public static S3Event objectCreated(S3Notification.Upload... uploads) {
        return Fixtures.event(S3Event.class, S3Notification.objectCreated().add(uploads).build().toJson());
    }

    /** The {@code s3:TestEvent} S3 sends when a notification is configured: no Records. */
    public static S3Event testEvent() {
        return Fixtures.event(S3Event.class, Fixtures.text("events/s3-test-event.json"));
    }
}
