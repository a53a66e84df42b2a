package dev.deepgramlambda.standin;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A real {@code moto_server} (the AWS emulator from PyPI) on a free loopback port, started once
 * per test JVM and shared by every test in it; {@link #reset()} wipes its state between tests.
 *
 * <p>The binary is found in {@code $MOTO_SERVER}, then {@code .venv/bin/moto_server} in this or
 * any parent directory (where the README's test command installs it), then on the PATH.
 */
public final class MotoServer {
    /** Dummy credentials; moto accepts any. Set as system properties so the SDK's default chain finds them. */
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";
    public static final String REGION = "us-east-1";

    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The per-JVM server, started on first use. */
    public static synchronized MotoServer shared() {
        if (shared == null) {
            System.setProperty("aws.accessKeyId", ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", SECRET_KEY);
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Forgets every bucket, object and secret. */
    public void reset() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
            connection.setRequestMethod("POST");
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("moto reset answered " + connection.getResponseCode());
            }
            connection.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MotoServer start() {
        Path binary = locateBinary().orElseThrow(() -> new IllegalStateException(
                "moto_server not found: run the README's test command (it installs moto into .venv) or set MOTO_SERVER"));
        int port = freePort();
        try {
            Path log = Files.createTempFile("moto-server", ".log");
            Process process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitReady(process, endpoint, log);
            return new MotoServer(process, endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start moto_server", e);
        }
    }

    private static void awaitReady(Process process, URI endpoint, Path log) throws IOException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(giveUp)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/data.json").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroy();
        throw new IllegalStateException("moto_server did not answer within 60 s: " + Files.readString(log));
    }

    private static Optional<Path> locateBinary() {
        String configured = System.getenv("MOTO_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured));
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".venv/bin/moto_server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .map(p -> Paths.get(p, "moto_server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
