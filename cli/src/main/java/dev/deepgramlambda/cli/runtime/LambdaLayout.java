package dev.deepgramlambda.cli.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the runtime interface client's jars and the function's package are: the two folders the
 * {@code cli/local-lambda} module builds ({@code runtime/} and {@code task/lib/}).
 *
 * @param taskRoot may also be another package laid out the same way, e.g. what {@code sam build}
 *     produced in {@code .aws-sam/build/TranscribeFunction}
 */
public record LambdaLayout(Path runtimeDir, Path taskRoot) {
    /** Set by the build for tests; otherwise the layout is found beside the CLI's own jar. */
    static final String LAYOUT_PROPERTY = "lambda.layout.dir";
    /** The client's switch for a native library it should load instead of unpacking its own. */
    static final String NATIVE_CLIENT_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    /** The layout built by {@code cli/local-lambda}, with {@code taskRoot} overriding its task root. */
    public static LambdaLayout locate(Optional<Path> taskRoot) {
        Path built = Optional.ofNullable(System.getProperty(LAYOUT_PROPERTY)).map(Path::of).orElseGet(LambdaLayout::besideCli);
        return new LambdaLayout(built.resolve("runtime"), taskRoot.orElse(built.resolve("task")));
    }

    /**
     * The runtime interface client's native Runtime API library for this machine. The client ships
     * it for Linux only (x86_64 and arm64, glibc or musl), so local Lambda environments need Linux.
     *
     * @throws IllegalStateException when this machine cannot run the client or the layout is not built
     */
    public Path nativeClient() {
        if (!Files.isDirectory(taskRoot.resolve("lib"))) {
            throw new IllegalStateException("no function package at " + taskRoot
                    + " (expected its jars in lib/): build it with `mvn -DskipTests package -pl cli -am` (scripts/deepgram-lambda does)");
        }
        String os = System.getProperty("os.name");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new IllegalStateException("the Lambda Java runtime interface client has native code for Linux only, and this is "
                    + os + ": run the local Lambda environment on Linux (WSL 2 on Windows, a Linux VM or container on macOS). "
                    + "smoke and load --stack-name work anywhere.");
        }
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> throw new IllegalStateException("the Lambda runtime interface client has no native library for "
                    + System.getProperty("os.arch") + " (x86_64 and arm64 only)");
        };
        boolean musl;
        try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
            musl = lib.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException e) {
            musl = false;
        }
        Path library = runtimeDir.resolve("jni/libaws-lambda-jni." + (musl ? "linux_musl-" : "linux-") + arch + ".so");
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException("no " + library + ": build the Lambda runtime folder with `mvn -DskipTests package -pl cli -am`");
        }
        return library;
    }

    /** {@code cli/target/cli.jar} or {@code cli/target/classes} both sit two levels below {@code cli/}. */
    private static Path besideCli() {
        try {
            Path codeSource = Path.of(LambdaLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return codeSource.getParent().getParent().resolve("local-lambda/target/lambda");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the CLI runs from", e);
        }
    }
}
