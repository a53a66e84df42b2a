package dev.deepgramlambda.transcribe;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.S3Events;
import dev.deepgramlambda.testing.TestContext;
import java.time.Duration;

/**
 * Child-process half of {@link FirstInvocationClassLoadingTest}: a fresh JVM builds the handler
 * (priming or not, as AWS_LAMBDA_INITIALIZATION_TYPE says) and handles one upload between two marker
 * lines, so the JVM's class-loading log shows what the first invocation itself had to load.
 */
final class FirstInvocationProbe {
    static final String START = "probe: first invocation starts";
    static final String END = "probe: first invocation ended";

    private FirstInvocationProbe() {}

    public static void main(String[] args) {
        TranscribeHandler handler = new TranscribeHandler(Env.system());
        S3Event event = S3Events.objectCreated(S3Notification.Upload.of(args[0], args[1], Long.parseLong(args[2]), args[3]));
        TestContext context = new TestContext(Duration.ofMinutes(1));
        System.out.println(START);
        handler.handleRequest(event, context);
        System.out.println(END);
    }
}
