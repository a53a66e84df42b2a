package dev.deepgramlambda.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Something a test sets up and must tear down, e.g. a harness with its emulator state and fake
 * servers. Held in a {@code @RegisterExtension} field, it is closed after each test.
 */
public interface TestResource extends AutoCloseable, AfterEachCallback {

    @Override
    default void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    void close();
}
