package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A probe's {@code main} run in a child JVM the way Lambda runs the function: the test classpath,
 * the harness's environment with moto's credentials, and JVM options such as a small heap. For
 * what a test cannot see from inside its own JVM: peak heap, an OutOfMemoryError, classes loaded.
 *
 * @param output the child's stdout and stderr; it exited 0
 */
record ChildFunction(String output) {
    static ChildFunction run(FunctionHarness function, List<String> jvmOptions, Map<String, String> environment,
                             Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(function.environment());
        builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", MotoServer.SECRET_KEY));
        builder.environment().putAll(environment);
        Process child = builder.start();
        child.getOutputStream().close();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, child.exitValue(), output);
        return new ChildFunction(output);
    }

    /** The probe's own JSON line, e.g. {@code {"probe":"streaming",...}}. */
    JsonNode probe() {
        return Fixtures.json(output.lines().filter(line -> line.contains("\"probe\"")).findFirst().orElseThrow());
    }
}
