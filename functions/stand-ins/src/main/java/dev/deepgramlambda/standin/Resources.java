package dev.deepgramlambda.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Files on the class path: the recorded Deepgram responses the stand-in serves ({@code deepgram/})
 * and the sample clip ({@code audio/hello-en.wav}, the repository's {@code samples/hello-en.wav}).
 */
public final class Resources {
    private Resources() {}

    public static byte[] bytes(String resource) {
        try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }
}
