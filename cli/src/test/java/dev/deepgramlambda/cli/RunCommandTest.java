package dev.deepgramlambda.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepgramlambda.cli.pipeline.DeepgramAccess;
import dev.deepgramlambda.cli.pipeline.LocalPipeline;
import dev.deepgramlambda.standin.CallbackSender;
import dev.deepgramlambda.standin.FakeDeepgram;
import dev.deepgramlambda.testing.Fixtures;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.testing.TestAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command end to end, as a user runs it: the CLI starts moto_server, creates the bucket and
 * the secret, uploads the file, and runs TranscribeFunction in a child JVM under the real Lambda
 * runtime interface client against its own Runtime API, fed S3's notification; FakeDeepgram (real
 * HTTP on loopback) stands in for Deepgram.
 */
class RunCommandTest {
    private static final String PREAMBLE = "We, the people of The United States, in order to form a more perfect union";

    @TempDir
    Path dir;
    private FakeDeepgram deepgram;
    private TestAws aws;

    @BeforeEach
    void start() {
        MotoServer.shared().reset();
        aws = new TestAws(MotoServer.shared().endpoint());
        deepgram = new FakeDeepgram();
    }

    @AfterEach
    void stop() {
        deepgram.close();
        aws.close();
    }

    private Path audio(String resource, String fileName) throws IOException {
        return Files.write(dir.resolve(fileName), Fixtures.bytes(resource));
    }

    private Map<String, String> standInWithKey() {
        return Map.of("DEEPGRAM_BASE_URL", deepgram.baseUrl(), "DEEPGRAM_API_KEY", FakeDeepgram.VALID_KEY);
    }

    private String stored(String key) {
        return aws.s3().getObjectAsBytes(r -> r.bucket(LocalPipeline.LOCAL_BUCKET).key(key)).asUtf8String();
    }

    private List<RecordedRequest> listenRequests() {
        return deepgram.requests().stream().filter(r -> r.getUrl().encodedPath().equals("/v1/listen")).toList();
    }

    @Test
    void givenAnAudioFile_whenRun_thenTheFunctionTranscribesItUnderTheLambdaRuntimeAndTheTranscriptIsPrintedAndStored() throws IOException {
        Path file = audio("audio/hello-en.wav", "hello en+1.wav");

        CliRun run = CliRun.of(standInWithKey(), "run", file.toString(), "--options", "smart_format=true&diarize=true",
                "--language", "en", "--model", "nova-3");

        assertEquals(0, run.status(), run.toString());
        String transcript = stored("transcripts/incoming/hello en+1.wav.txt");
        assertTrue(transcript.startsWith(PREAMBLE), transcript);
        assertTrue(run.out().contains("Transcript\n  " + transcript.strip()), "the stored transcript is printed: " + run.out());
        assertTrue(run.out().contains("s3://deepgram-lambda-local/transcripts/incoming/hello en+1.wav.json   Deepgram's response"), run.out());
        assertTrue(stored("transcripts/incoming/hello en+1.wav.json").contains("\"request_id\""));
        assertTrue(run.out().contains("s3://deepgram-lambda-local/transcripts/incoming/hello en+1.wav.srt    captions\n"
                + "  s3://deepgram-lambda-local/transcripts/incoming/hello en+1.wav.vtt    captions\n"), run.out());
        assertTrue(run.out().contains("First cues\n  1\n  00:00:00,320 --> 00:00:04,637\n  We, the people of The United States,\n"),
                "the first cues of the stored captions are printed: " + run.out());
        assertTrue(stored("transcripts/incoming/hello en+1.wav.vtt").startsWith("WEBVTT\n"));

        RecordedRequest listen = listenRequests().get(0);
        assertEquals("Token " + FakeDeepgram.VALID_KEY, listen.getHeaders().get("Authorization"), "key read from the secret the CLI made");
        assertEquals("audio/wav", listen.getHeaders().get("Content-Type"), "AUDIO_SOURCE=stream: the upload's bytes, not a URL");
        assertEquals("nova-3", listen.getUrl().queryParameter("model"));
        assertEquals("true", listen.getUrl().queryParameter("smart_format"));
        assertEquals("true", listen.getUrl().queryParameter("diarize"));
        assertEquals("en", listen.getUrl().queryParameter("language"), "--language travelled as S3 metadata dg-language");

        assertTrue(run.out().matches("(?s).*  Transcriptions\\s+1 Count\\s+DeepgramTranscription / Service=deepgram-lambda-local and "
                + "Service=deepgram-lambda-local,Status=success.*"), "the function's EMF metrics: " + run.out());
        assertTrue(run.out().matches("(?s).*REPORT RequestId: [0-9a-f-]{36}  Duration: \\d+\\.\\d\\d ms  Memory Size: 1024 MB"
                + "  Max Memory Used: \\d+ MB  Init Duration: \\d+\\.\\d\\d ms.*"), run.out());
    }

    @Test
    void givenCallback_whenRun_thenItSubmitsTheStandInPutsTheResultIntoS3AndTheCompletionWritesTheTranscript() throws IOException {
        deepgram.processingTime(Duration.ofMillis(500));
        Path file = audio("audio/hello-en.wav", "long meeting.wav");

        CliRun run = CliRun.of(standInWithKey(), "run", file.toString(), "--callback");

        assertEquals(0, run.status(), run.toString());
        RecordedRequest listen = listenRequests().get(0);
        assertEquals("put", listen.getUrl().queryParameter("callback_method"), "S3 metadata dg-delivery=callback chose callback delivery");
        assertTrue(listen.getUrl().queryParameter("callback").contains("/deepgram-callbacks/results/"), listen.getUrl().toString());
        CallbackSender.Delivery delivery = deepgram.callbackDeliveries().get(0);
        assertEquals(200, delivery.status(), "the stand-in's PUT reached moto from its own thread: " + delivery);
        assertTrue(run.out().contains("metadata {dg-delivery=callback}"), run.out());
        assertTrue(run.out().contains("  submitted  Deepgram request " + delivery.requestId() + "; waiting up to 180 s for its result under "
                + "s3://deepgram-lambda-local/deepgram-callbacks/results/"), run.out());
        String resultUri = delivery.urlWithoutQuery().substring(delivery.urlWithoutQuery().indexOf("/deepgram-lambda-local/"));
        assertTrue(run.out().contains("  result     arrived at s3:/" + resultUri + " ("), "the object the stand-in PUT: " + run.out());
        // the completion's record line: outcome (reason), the function's detail, where the transcript went
        String completed = run.out().lines().filter(l -> l.startsWith("  completed  ")).findFirst().orElse("");
        assertTrue(completed.startsWith("  completed  success (transcribed), ")
                && completed.endsWith(": s3://deepgram-lambda-local/transcripts/incoming/long meeting.wav.json"), run.out());
        String transcript = stored("transcripts/incoming/long meeting.wav.txt");
        assertTrue(transcript.startsWith(PREAMBLE) && run.out().contains("Transcript\n  " + transcript.strip()), run.out());
        assertTrue(run.out().contains("long meeting.wav.srt    captions"), run.out());
        assertTrue(aws.s3().listObjectsV2(r -> r.bucket(LocalPipeline.LOCAL_BUCKET).prefix("deepgram-callbacks/results/")).contents().isEmpty(),
                "the completion removed the raw result");
        for (String status : List.of("submitted", "success")) {
            assertTrue(run.out().matches("(?s).*  Transcriptions\\s+1 Count\\s+DeepgramTranscription / Service=deepgram-lambda-local and "
                    + "Service=deepgram-lambda-local,Status=" + status + ".*"), status + ": " + run.out());
        }
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("  REPORT RequestId: ")).count(), "submission and completion: " + run.out());
    }

    @Test
    void givenCallbackAndAResultThatNeverComes_whenRun_thenItSaysNoResultArrivedAndExits1() throws IOException {
        deepgram.callbacks(FakeDeepgram.CallbackResult.NEVER, 1);
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        CliRun run = CliRun.of(standInWithKey(), "run", file.toString(), "--callback", "--timeout", "5");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("  submitted  Deepgram request "), run.out());
        assertTrue(run.out().contains("No result arrived under s3://deepgram-lambda-local/deepgram-callbacks/results/ within 5 s"), run.out());
        assertFalse(run.out().contains("  completed  "), run.out());
    }

    @Test
    void givenAnAwsAccount_whenRunWithAws_thenItUsesTheExistingBucketATemporarySecretAndPresignedUrls() throws IOException {
        aws.createBucket("team-audio");
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        // the account is moto here: --endpoint-url, with the default credential chain finding moto's dummy keys
        CliRun run = CliRun.of(standInWithKey(), "run", file.toString(), "--aws", "--bucket", "team-audio",
                "--region", MotoServer.REGION, "--endpoint-url", MotoServer.shared().endpoint().toString());

        assertEquals(0, run.status(), run.toString());
        assertTrue(aws.s3().getObjectAsBytes(r -> r.bucket("team-audio").key("transcripts/incoming/hello-en.wav.txt"))
                .asUtf8String().startsWith(PREAMBLE));
        RecordedRequest listen = listenRequests().get(0);
        assertTrue(String.valueOf(listen.getHeaders().get("Content-Type")).startsWith("application/json")
                && listen.getBody().utf8().contains("\"url\""), "AUDIO_SOURCE=url: Deepgram was handed a presigned URL");
        assertTrue(aws.secrets().listSecrets().secretList().isEmpty(), "the temporary secret is deleted afterwards");
    }

    @Test
    void givenAnAwsAccountWithoutTheBucket_whenRunWithAws_thenItFailsNamingTheBucket() throws IOException {
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        CliRun run = CliRun.of(standInWithKey(), "run", file.toString(), "--aws", "--bucket", "not-there",
                "--region", MotoServer.REGION, "--endpoint-url", MotoServer.shared().endpoint().toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("bucket 'not-there' does not exist"), run.err());
    }

    @Test
    void givenNoApiKey_whenRunAgainstTheRealDeepgram_thenItStopsAtOnceSayingHowToGetOne() throws IOException {
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        CliRun run = CliRun.of(Map.of(), "run", file.toString());

        assertEquals(2, run.status(), run.toString());
        assertTrue(run.err().contains("DEEPGRAM_API_KEY is not set"), run.err());
        assertTrue(run.err().contains("https://console.deepgram.com"), run.err());
        assertTrue(run.err().contains("--stand-in"), run.err());
        assertTrue(aws.s3().listBuckets().buckets().isEmpty(), "stopped before creating anything");
    }

    @Test
    void givenDeepgramBaseUrlAtAStandInAndNoKey_whenRun_thenThePlaceholderKeyIsSentAndTheFileIsTranscribed() throws IOException {
        deepgram.acceptKeys(DeepgramAccess.PLACEHOLDER_KEY);
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        CliRun run = CliRun.of(Map.of("DEEPGRAM_BASE_URL", deepgram.baseUrl()), "run", file.toString());

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("placeholder key 'stand-in-key'"), run.out());
        assertEquals("Token " + DeepgramAccess.PLACEHOLDER_KEY, listenRequests().get(0).getHeaders().get("Authorization"));
        assertTrue(run.out().contains(PREAMBLE), run.out());
    }

    @Test
    void givenTheStandInFlag_whenRun_thenTheBundledStandInAnswersWithoutAnyDeepgramSettings() throws IOException {
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        CliRun run = CliRun.of(Map.of(), "run", file.toString(), "--stand-in");

        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().contains("the bundled Deepgram stand-in at http://"), run.out());
        assertTrue(stored("transcripts/incoming/hello-en.wav.txt").startsWith(PREAMBLE));
    }

    @Test
    void givenAFileDeepgramCannotDecode_whenRun_thenTheErrorRecordIsPrintedAndTheExitStatusIs1() throws IOException {
        Path file = audio("audio/not-audio.bin", "notes.wav");

        CliRun run = CliRun.of(standInWithKey(), "run", file.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("The function could not transcribe this file and wrote an error record:"), run.out());
        assertTrue(run.out().contains("\"httpStatus\" : 400"), run.out());
        assertTrue(run.out().contains("s3://deepgram-lambda-local/transcripts/incoming/notes.wav.error.json"), run.out());
        assertTrue(stored("transcripts/incoming/notes.wav.error.json").contains("\"reason\""));
    }

    @Test
    void givenDeepgramFailingTransiently_whenRun_thenTheInvocationErrorAndTheFunctionsLogsArePrinted() throws IOException {
        deepgram.enqueue(FakeDeepgram.json(503, "{\"err_code\":\"UNAVAILABLE\",\"err_msg\":\"try later\"}"))
                .enqueue(FakeDeepgram.json(503, "{\"err_code\":\"UNAVAILABLE\",\"err_msg\":\"try later\"}"));
        Path file = audio("audio/hello-en.wav", "hello-en.wav");
        Map<String, String> env = new java.util.HashMap<>(standInWithKey());
        env.putAll(Map.of("DEEPGRAM_MAX_ATTEMPTS", "2", "DEEPGRAM_BACKOFF_BASE_MILLIS", "10"));

        CliRun run = CliRun.of(env, "run", file.toString());

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("The invocation failed: dev.deepgramlambda.transcribe.TranscriptionFailedException"), run.out());
        assertTrue(run.out().contains("OnFailure destination"), run.out());
        assertTrue(run.out().contains("Function output\n"), run.out());
        assertTrue(run.out().contains("  | {\"timestamp\":") && run.out().contains("\"message\":\"Record failed; Lambda will retry the event\""),
                "the function's JSON log lines: " + run.out());
        assertEquals(2, listenRequests().size(), "DEEPGRAM_* variables of the shell reach the function");
    }

    @Test
    void givenAnInvalidFunctionSetting_whenRun_thenTheInitErrorIsReported() throws IOException {
        Path file = audio("audio/hello-en.wav", "hello-en.wav");

        CliRun run = CliRun.of(standInWithKey(), "run", file.toString(), "--env", "AUDIO_SOURCE=ftp");

        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("The function failed to start (init error):"), run.out());
        assertTrue(run.out().contains("AUDIO_SOURCE must be one of [url, stream], got 'ftp'"), run.out());
        assertTrue(run.out().contains("Init Duration: "), run.out());
        assertTrue(listenRequests().isEmpty());
    }

    @Test
    void givenBadArguments_whenRun_thenItExitsWith2AndSaysWhatIsWrong() throws IOException {
        Path file = audio("audio/hello-en.wav", "hello-en.wav");
        Map<String, String> realDeepgramWithKey = Map.of("DEEPGRAM_API_KEY", "a-real-looking-key");

        CliRun missingFile = CliRun.of(Map.of(), "run");
        CliRun noSuchFile = CliRun.of(Map.of(), "run", dir.resolve("absent.wav").toString());
        CliRun diarize = CliRun.of(Map.of(), "run", file.toString(), "--diarize", "maybe");
        CliRun regionWithoutAws = CliRun.of(Map.of(), "run", file.toString(), "--region", "eu-west-1");
        CliRun awsWithoutBucket = CliRun.of(Map.of(), "run", file.toString(), "--aws");
        CliRun urlWithLocalEmulator = CliRun.of(realDeepgramWithKey, "run", file.toString(), "--audio-source", "url");
        CliRun standInWithSecret = CliRun.of(Map.of(), "run", file.toString(), "--aws", "--bucket", "b", "--stand-in", "--secret-id", "s");
        CliRun memory = CliRun.of(Map.of(), "run", file.toString(), "--memory", "64");
        CliRun env = CliRun.of(Map.of(), "run", file.toString(), "--env", "NO_VALUE");
        CliRun callbackToLoopback = CliRun.of(realDeepgramWithKey, "run", file.toString(), "--callback");

        assertEquals(2, missingFile.status());
        assertTrue(missingFile.err().contains("Missing required parameter: 'AUDIO_FILE'"), missingFile.err());
        assertTrue(noSuchFile.err().contains("no such audio file: "), noSuchFile.err());
        assertTrue(diarize.err().contains("Invalid value for option '--diarize': 'maybe' is not a boolean"), diarize.err());
        assertTrue(regionWithoutAws.err().contains("--region applies to your AWS account: add --aws"), regionWithoutAws.err());
        assertTrue(awsWithoutBucket.err().contains("--bucket is required with --aws"), awsWithoutBucket.err());
        assertTrue(urlWithLocalEmulator.err().contains("--audio-source url cannot work with the local emulator"), urlWithLocalEmulator.err());
        assertTrue(standInWithSecret.err().contains("--stand-in, --secret-id=ID are mutually exclusive"), standInWithSecret.err());
        assertTrue(memory.err().contains("--memory must be between 128 and 10240, got 64"), memory.err());
        assertTrue(env.err().contains("should be in KEY=VALUE format but was NO_VALUE"), env.err());
        assertTrue(callbackToLoopback.err().contains("--callback cannot work with the real Deepgram and a local AWS emulator")
                && callbackToLoopback.err().contains("Use --stand-in"), callbackToLoopback.err());
        for (CliRun run : List.of(noSuchFile, diarize, regionWithoutAws, awsWithoutBucket, urlWithLocalEmulator, standInWithSecret, memory, env,
                callbackToLoopback)) {
            assertTrue(run.err().contains("Run 'deepgram-lambda run --help' for usage."), run.err());
            assertEquals(2, run.status(), run.toString());
        }
        assertTrue(aws.s3().listBuckets().buckets().isEmpty(), "nothing was started for a bad command line");
    }

    @Test
    void givenHelp_whenAsked_thenRunAndTheOverviewDescribeThemselves() {
        CliRun help = CliRun.of(Map.of(), "run", "--help");
        CliRun overview = CliRun.of(Map.of(), "--help");
        CliRun nothing = CliRun.of(Map.of());
        CliRun unknown = CliRun.of(Map.of(), "transcribe");

        assertEquals(0, help.status());
        for (String expected : List.of("Usage: deepgram-lambda run [OPTIONS] AUDIO_FILE", "--aws", "--options=QUERY", "--stand-in",
                "DEEPGRAM_API_KEY", "https://console.deepgram.com")) {
            assertTrue(help.out().contains(expected), expected + " in " + help.out());
        }
        assertEquals(0, overview.status());
        assertTrue(overview.out().contains("run") && overview.out().contains("smoke") && overview.out().contains("load"), overview.out());
        assertEquals(2, nothing.status());
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("Unmatched argument at index 0: 'transcribe'"), unknown.err());
        assertTrue(nothing.err().contains("error: missing COMMAND") && nothing.err().contains("Commands:"), nothing.err());
        assertFalse(unknown.out().contains("Usage"));
    }
}
