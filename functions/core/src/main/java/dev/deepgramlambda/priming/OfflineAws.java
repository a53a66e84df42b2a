package dev.deepgramlambda.priming;

import dev.deepgramlambda.aws.AwsClientSettings;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpRequest;

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

    /** {@code builder} configured like {@code aws} would, with {@code answers} instead of the network. */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(
            AwsClientSettings aws, B builder, Function<SdkHttpRequest, Answer> answers) {
        builder.region(aws.region())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .httpClient(new OfflineHttpClient(answers));
        aws.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
