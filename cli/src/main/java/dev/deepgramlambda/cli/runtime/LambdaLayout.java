package dev.deepgramlambda.cli.runtime;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

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

    /** The layout built by {@code cli/local-lambda}, with {@code taskRoot} overriding its task root. */
    public static LambdaLayout locate(Optional<Path> taskRoot) {
        Path built = Optional.ofNullable(System.getProperty(LAYOUT_PROPERTY)).map(Path::of).orElseGet(LambdaLayout::besideCli);
        return new LambdaLayout(built.resolve("runtime"), taskRoot.orElse(built.resolve("task")));
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
