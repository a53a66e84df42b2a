package dev.deepgramlambda.priming;

import dev.deepgramlambda.aws.AwsClientSettings;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * AWS SDK clients for priming: built like the function's own (region, endpoint, path style are the
 * caller's), but answered in memory and signed with placeholder credentials, so priming exercises
 * marshalling, signing and unmarshalling with no network call, no AWS side effect and no real
 * credential or secret in the snapshot.
 *
 * <p>Not {@code SdkWarmUp} from the SDK: besides warming clients of its own configuration, it sends a
 * real GET to the regional STS endpoint to warm the HTTP client, which would leave a kept-alive
 * connection in the snapshot (and stalls on DNS where there is no network).
 */
public final class OfflineAws {
    /** Signs priming's requests; never resolves (or snapshots) the function's real credentials. */
    public static final AwsCredentialsProvider PLACEHOLDER_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
    /**
     * Secrets Manager's GetSecretValue answer with every field of the Deepgram secret filled, so
     * parsing runs its whole course; placeholder values only.
     */
    private static final String PLACEHOLDER_SECRET = """
            {"ARN":"arn:aws:secretsmanager:us-east-1:123456789012:secret:priming-AbCdEf","Name":"priming",
             "VersionId":"00000000-0000-0000-0000-000000000000","VersionStages":["AWSCURRENT"],"CreatedDate":1.7E9,
             "SecretString":"{\\"apiKey\\":\\"priming-placeholder\\",\\"fallbackApiKey\\":\\"priming-fallback\\",\\"keyId\\":\\"priming\\",\\"projectId\\":\\"priming\\",\\"expiresAt\\":\\"2030-01-01T00:00:00Z\\"}"}
            """;
    /** What the in-memory "AWS" answers to one request. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public Answer {
            headers = Map.copyOf(headers);
        }

        public static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }
    }

    private OfflineAws() {}

    /** A Secrets Manager client whose every GetSecretValue returns the placeholder Deepgram secret. */
    public static SecretsManagerClient placeholderSecrets(AwsClientSettings aws) {
        return client(aws, SecretsManagerClient.builder(), request -> placeholderSecretValue());
    }

    /** GetSecretValue's answer: the Deepgram secret's JSON with every field set to a placeholder. */
    public static Answer placeholderSecretValue() {
        return Answer.of(200, PLACEHOLDER_SECRET);
    }

    /** {@code builder} configured like {@code aws} would, with {@code answers} instead of the network. */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(
            AwsClientSettings aws, B builder, Function<SdkHttpRequest, Answer> answers) {
        builder.region(aws.region())
                .credentialsProvider(PLACEHOLDER_CREDENTIALS)
                .httpClient(new OfflineHttpClient(answers));
        aws.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
