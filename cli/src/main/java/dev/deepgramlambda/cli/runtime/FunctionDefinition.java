package dev.deepgramlambda.cli.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * What Lambda knows about a function before it starts one: its code, handler, memory, timeout and
 * environment variables (its own plus the region and credentials Lambda adds).
 *
 * @param layout the runtime interface client's jars (on the JVM class path, like Lambda's
 *     {@code /var/runtime/lib}) and the function's package (the task root, like {@code /var/task}, from
 *     which the runtime loads the handler with its own class loader)
 */
public record FunctionDefinition(
        String name,
        String handler,
        LambdaLayout layout,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment) {

    /** Outside AWS there is no account; Lambda's context still carries one in the function ARN. */
    public static final String ACCOUNT_PLACEHOLDER = "123456789012";

    public FunctionDefinition {
        environment = Map.copyOf(environment);
    }

    /** The ARN Lambda passes as the invoked function. */
    public String arn() {
        return "arn:aws:lambda:" + environment.getOrDefault("AWS_REGION", "us-east-1") + ":" + ACCOUNT_PLACEHOLDER
                + ":function:" + name;
    }
}
