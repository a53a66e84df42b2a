package dev.deepgramlambda.bench.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The reference a tutorial would give: default SDK clients (Apache HTTP client, default credential
 * and region chains), the secret read on every call, the whole object in memory, posted to Deepgram,
 * the answer written next to it. No retries, no idempotency, no metrics. Path-style S3 is its one
 * concession, so that it runs against the local emulator like ours does.
 */
public final class NaiveTranscribeHandler implements RequestHandler<S3Event, String> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final boolean emulator = System.getenv("AWS_ENDPOINT_URL") != null;
    private final S3Client s3 = S3Client.builder().forcePathStyle(emulator).build();
    private final SecretsManagerClient secrets = SecretsManagerClient.create();
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public String handleRequest(S3Event event, Context context) {
        for (S3EventNotificationRecord record : event.getRecords()) {
            String bucket = record.getS3().getBucket().getName();
            String key = record.getS3().getObject().getUrlDecodedKey();
            String apiKey = apiKey();
            byte[] audio = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
            String transcript = transcribe(apiKey, audio);
            s3.putObject(r -> r.bucket(bucket).key("transcripts/" + key + ".json"), RequestBody.fromString(transcript));
        }
        return "done";
    }

    private String apiKey() {
        String secret = secrets.getSecretValue(r -> r.secretId(System.getenv("DEEPGRAM_SECRET_ID"))).secretString();
        try {
            return JSON.readTree(secret).path("apiKey").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String transcribe(String apiKey, byte[] audio) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(System.getenv("DEEPGRAM_BASE_URL") + "/v1/listen?model=nova-3&smart_format=true"))
                .header("Authorization", "Token " + apiKey)
                .header("Content-Type", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(audio))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Deepgram answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
