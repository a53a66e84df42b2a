package dev.deepgramlambda.cli.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A function for testing the local Lambda runtime itself: it reports what the runtime gave it, and
 * the uploaded key chooses a misbehaviour (fail, overrun the timeout, exit the JVM).
 */
public class ProbeHandler implements RequestHandler<S3Event, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(S3Event event, Context context) {
        String key = event.getRecords().get(0).getS3().getObject().getUrlDecodedKey();
        System.out.println("{\"message\":\"probe invoked\"}");
        switch (key) {
            case "fail" -> throw new IllegalStateException("probe failed as asked");
            case "overrun" -> sleep(60_000);
            case "exit" -> System.exit(3);
            default -> { }
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("key", key);
        seen.put("eTag", event.getRecords().get(0).getS3().getObject().geteTag());
        seen.put("requestId", context.getAwsRequestId());
        seen.put("functionArn", context.getInvokedFunctionArn());
        seen.put("remainingMillis", context.getRemainingTimeInMillis());
        seen.put("memoryMb", context.getMemoryLimitInMB());
        seen.put("functionName", System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        seen.put("inheritedHome", System.getenv("HOME"));
        seen.put("custom", System.getenv("PROBE_SETTING"));
        seen.put("classLoader", getClass().getClassLoader().getClass().getSimpleName());
        return seen;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A function whose constructor fails: an init error. */
    public static class BrokenAtInit implements RequestHandler<S3Event, String> {
        public BrokenAtInit() {
            throw new IllegalStateException("probe cannot start: DEEPGRAM_SECRET_ID is required");
        }

        @Override
        public String handleRequest(S3Event event, Context context) {
            return "unreachable";
        }
    }
}
