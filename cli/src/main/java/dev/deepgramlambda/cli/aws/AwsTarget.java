package dev.deepgramlambda.cli.aws;

import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.standin.MotoServer;
import dev.deepgramlambda.config.Settings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which AWS the CLI talks to: the emulator on loopback, or an account through the default
 * credential and region chains (as the AWS CLI and SAM CLI find them). Clients are built the way the
 * functions build theirs ({@link AwsClientSettings}).
 */
public record AwsTarget(Region region, Optional<URI> endpoint, AwsCredentialsProvider credentials, String description) {

    /** moto_server on loopback; it accepts any credentials. */
    public static AwsTarget emulator(URI endpoint) {
        return new AwsTarget(Region.of(MotoServer.REGION), Optional.of(endpoint), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)), "moto_server (local AWS emulator) at " + endpoint);
    }

    /**
     * The account the default chains find (environment, profile, SSO, instance role), in
     * {@code region} or the chain's region; {@code endpoint} for an emulator standing in for it.
     */
    public static AwsTarget account(Optional<String> region, Optional<URI> endpoint) {
        Region resolved;
        try {
            resolved = region.map(Region::of).orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
        } catch (SdkClientException e) {
            throw new IllegalStateException("no AWS region: pass --region or set AWS_REGION (or a region in your AWS profile)");
        }
        return new AwsTarget(resolved, endpoint, DefaultCredentialsProvider.builder().build(),
                endpoint.map(uri -> "AWS emulator at " + uri + ", region " + resolved.id()).orElse("AWS account, region " + resolved.id()));
    }

    public boolean emulated() {
        return endpoint.isPresent();
    }

    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        builder.credentialsProvider(credentials);
        return new AwsClientSettings(region, endpoint, List.of()).build(builder);
    }

    /** Emulators on loopback cannot serve virtual-hosted bucket names, hence path style there. */
    public S3Client s3() {
        return client(S3Client.builder().forcePathStyle(emulated()));
    }

    /**
     * What Lambda puts in a function's environment for AWS access: region, and the execution role's
     * temporary credentials (here: whatever the chain resolved), plus the emulator's endpoint.
     */
    public Map<String, String> lambdaEnvironment() {
        AwsCredentials resolved = resolvedCredentials();
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Settings.AWS_REGION.name(), region.id());
        env.put("AWS_DEFAULT_REGION", region.id());
        endpoint.ifPresent(uri -> env.put(Settings.AWS_ENDPOINT_URL.name(), uri.toString()));
        env.put("AWS_ACCESS_KEY_ID", resolved.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", resolved.secretAccessKey());
        if (resolved instanceof AwsSessionCredentials session) {
            env.put("AWS_SESSION_TOKEN", session.sessionToken());
        }
        return env;
    }

    public AwsCredentials resolvedCredentials() {
        try {
            return credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new IllegalStateException("no AWS credentials found: configure them as for the AWS CLI "
                    + "(aws configure, aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
        }
    }

    /** For reports: where requests go, never the credentials. */
    public String describe() {
        return description;
    }
}
