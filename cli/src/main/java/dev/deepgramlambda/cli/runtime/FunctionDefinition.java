package dev.deepgramlambda.cli.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What Lambda knows about a function before it starts one: its code, handler, memory, timeout and
 * environment variables (its own plus the region and credentials Lambda adds).
 *
 * @param runtimeDir jars of the runtime interface client, put on the JVM class path (Lambda's
 *     {@code /var/runtime/lib})
 * @param taskRoot the function's deployment package unpacked: {@code lib/*.jar} and classes (Lambda's
 *     {@code /var/task}); the runtime loads the handler from here with its own class loader
 */
public record FunctionDefinition(
        String name,
        String handler,
        Path runtimeDir,
        Path taskRoot,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment) {

    /** Outside AWS there is no account; Lambda's context still carries one in the function ARN. */
    public static final String ACCOUNT_PLACEHOLDER = "123456789012";

    public FunctionDefinition {
        environment = Map.copyOf(environment);
        if (!Files.isDirectory(runtimeDir)) {
            throw new IllegalArgumentException("no Lambda runtime folder at " + runtimeDir
                    + ": build it with `mvn -DskipTests package -pl cli -am` (scripts/transcribe.sh does)");
        }
        if (!Files.isDirectory(taskRoot.resolve("lib"))) {
            throw new IllegalArgumentException("no function package at " + taskRoot
                    + " (expected its jars in lib/): build it with `mvn -DskipTests package -pl cli -am`");
        }
    }

    /** The ARN Lambda passes as the invoked function. */
    public String arn() {
        return "arn:aws:lambda:" + environment.getOrDefault("AWS_REGION", "us-east-1") + ":" + ACCOUNT_PLACEHOLDER
                + ":function:" + name;
    }
}
