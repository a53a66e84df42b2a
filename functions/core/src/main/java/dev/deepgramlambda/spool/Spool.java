package dev.deepgramlambda.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary files for bodies too large to hold in memory: Deepgram's answer and the files rendered
 * from it. They live in the function's ephemeral storage ({@code /tmp}, 512 MB: SnapStart allows
 * no more), in a folder of this process.
 *
 * <p>Whoever creates a file deletes it when done. A process that died first (a timeout or an
 * OutOfMemoryError restarts the runtime, while {@code /tmp} stays with the execution environment)
 * cannot, so each new process deletes what dead ones left before it spools anything.
 */
public final class Spool {
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "deepgram-lambda-spool");
    private static final Path DIRECTORY = prepare();

    private Spool() {}

    /** A new empty file, e.g. {@code newFile(".json")}. */
    public static Path newFile(String suffix) throws IOException {
        return Files.createTempFile(DIRECTORY, "body-", suffix);
    }

    /** Deletes a spooled file; one that is already gone is fine. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This process's folder, emptied, after removing the folders of processes that no longer run.
     * A restarted runtime may get its predecessor's process id; its leftovers are removed all the same.
     */
    private static Path prepare() {
        Path own = ROOT.resolve(Long.toString(ProcessHandle.current().pid()));
        try {
            Files.createDirectories(ROOT);
            try (Stream<Path> folders = Files.list(ROOT)) {
                folders.filter(folder -> folder.equals(own) || !running(folder)).forEach(Spool::deleteTree);
            }
            return Files.createDirectories(own);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the spool folder " + own, e);
        }
    }

    private static boolean running(Path folder) {
        try {
            return ProcessHandle.of(Long.parseLong(folder.getFileName().toString())).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException notOurs) {
            return true;
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(Spool::delete);
        } catch (IOException | UncheckedIOException e) {
            // Another process may be cleaning the same folder; what is left is retried by the next one.
        }
    }
}
