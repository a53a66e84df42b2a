package dev.deepgramlambda.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A runtime killed by a timeout or an OutOfMemoryError leaves its spooled answers in /tmp, which
 * outlives it. The next process removes them before it spools anything, and leaves alone the
 * folders of processes still running.
 */
class SpoolTest {
    @Test
    void givenTheFoldersOfADeadAndOfALiveProcess_whenANewProcessSpools_thenOnlyTheDeadOnesFolderIsRemoved() throws Exception {
        Path live = Spool.newFile(".json");
        // Above Linux's largest pid (4194304), so never a running process.
        Path dead = Files.createDirectories(Spool.ROOT.resolve("999999999"));
        Files.writeString(dead.resolve("body-1.json"), "{\"left\":\"by a process that timed out\"}");
        Path foreign = Files.createDirectories(Spool.ROOT.resolve("not-a-process"));

        Process child = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), NextProcess.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(1, TimeUnit.MINUTES));

        assertEquals(0, child.exitValue(), output);
        assertFalse(Files.exists(dead), "the dead process's answers are gone");
        assertTrue(Files.exists(live), "a running process keeps its files");
        assertTrue(Files.isDirectory(foreign), "a folder that is not a process's is not ours to remove");
        assertEquals(Spool.ROOT.resolve(Long.toString(child.pid())), Path.of(output).getParent(), "each process spools in its own folder");
        Spool.delete(live);
        Files.delete(foreign);
    }

    @Test
    void givenASpooledFile_whenDeletedTwice_thenTheSecondDeleteIsFine() throws IOException {
        Path file = Spool.newFile(".txt");

        Spool.delete(file);
        Spool.delete(file);

        assertFalse(Files.exists(file));
    }

    /** The next process in the same execution environment: spools one file and prints where. */
    static final class NextProcess {
        private NextProcess() {}

        public static void main(String[] args) throws IOException {
            System.out.println(Spool.newFile(".json"));
        }
    }
}
