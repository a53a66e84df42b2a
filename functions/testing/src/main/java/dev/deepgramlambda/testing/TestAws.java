package dev.deepgramlambda.testing;

import dev.deepgramlambda.standin.MotoServer;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** SDK clients a test uses to arrange and inspect the emulator, independent of the code under test. */
public final class TestAws implements AutoCloseable {
    private final URI endpoint;
    private final S3Client s3;
    private final SecretsManagerClient secrets;

    public TestAws(URI endpoint) {
        this.endpoint = endpoint;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        this.s3 = S3Client.builder().endpointOverride(endpoint).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials).forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.secrets = SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.of(MotoServer.REGION))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** The environment a function under test needs to reach this emulator. */
    public Map<String, String> environment() {
        return Map.of("AWS_REGION", MotoServer.REGION, "AWS_ENDPOINT_URL", endpoint.toString());
    }

    public S3Client s3() {
        return s3;
    }

    public SecretsManagerClient secrets() {
        return secrets;
    }

    public void createBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
    }

    public PutObjectResponse put(String bucket, String key, byte[] content, Map<String, String> metadata) {
        return s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.fromBytes(content));
    }

    public String createSecret(String name, String value) {
        return secrets.createSecret(b -> b.name(name).secretString(value)).arn();
    }

    public void putSecret(String name, String value) {
        secrets.putSecretValue(b -> b.secretId(name).secretString(value));
    }

    @Override
    public void close() {
        s3.close();
        secrets.close();
    }
}
