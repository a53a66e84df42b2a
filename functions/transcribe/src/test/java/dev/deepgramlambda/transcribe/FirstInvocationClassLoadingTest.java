package dev.deepgramlambda.transcribe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.standin.S3Notification;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.testing.S3Events;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What priming buys, counted in a fresh JVM per case: the classes the first invocation loads. With
 * priming during init it loads none of Jackson, the SDK's service, protocol and signing classes,
 * resilience4j or our Deepgram client; unprimed it loads them all while the caller waits.
 */
class FirstInvocationClassLoadingTest {
    /**
     * What priming runs through. Not in the list, on purpose: the SDK's credential chain (priming
     * must not resolve real credentials into a snapshot), the HTTP clients' socket paths (priming
     * opens no connection) and the console sinks (priming prints no metric).
     */
    private static final List<String> PRIMED_PACKAGES = List.of(
            "com.fasterxml.jackson.", "software.amazon.awssdk.services.", "software.amazon.awssdk.protocols.",
            "software.amazon.awssdk.core.internal.", "software.amazon.awssdk.http.auth.", "software.amazon.cloudwatchlogs.emf.model.",
            "io.github.resilience4j.", "okhttp3.HttpUrl", "dev.deepgramlambda.deepgram.");
    @RegisterExtension
    final FunctionHarness function = new FunctionHarness();

    @Test
    void givenPrimingDuringInit_whenTheFirstUploadArrives_thenItLoadsNoneOfTheClassesPrimingExercised() throws Exception {
        List<String> primed = classesLoadedByFirstInvocation("on-demand", "incoming/primed.wav");
        List<String> unprimed = classesLoadedByFirstInvocation("snap-start", "incoming/unprimed.wav");

        List<String> primedAgain = primed.stream().filter(c -> PRIMED_PACKAGES.stream().anyMatch(c::startsWith)).toList();
        assertEquals(List.of(), primedAgain, "classes of primed code paths loaded again by the first invocation");
        // What is left (credentials, sockets, the log line) is a small part of what priming took over.
        assertTrue(primed.size() * 5 < unprimed.size(), "unprimed " + unprimed.size() + " classes vs primed " + primed.size());
        System.err.printf("MEASURED first invocation loads %d classes after priming, %d without%n", primed.size(), unprimed.size());
    }

    /** Names of the classes loaded between the probe's markers, in a fresh JVM. */
    private List<String> classesLoadedByFirstInvocation(String initializationType, String key) throws Exception {
        S3Notification.Upload upload = function.upload(key, Fixtures.bytes("audio/hello-en.wav"));
        String output = ChildFunction.run(function, List.of("-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:stdout"),
                Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType), FirstInvocationProbe.class,
                upload.bucket(), upload.key(), Long.toString(upload.size()), upload.eTag()).output();
        List<String> lines = output.lines().toList();
        int start = lines.indexOf(FirstInvocationProbe.START);
        int end = lines.indexOf(FirstInvocationProbe.END);
        assertTrue(start >= 0 && end > start, output);
        assertTrue(function.exists("transcripts/" + key + ".json"), output);
        return lines.subList(start + 1, end).stream()
                .filter(l -> l.contains("[class,load]"))
                .map(l -> l.substring(l.indexOf("[class,load]") + "[class,load]".length()).trim().split(" ")[0])
                .toList();
    }
}
