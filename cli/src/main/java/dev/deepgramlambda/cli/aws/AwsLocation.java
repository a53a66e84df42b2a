package dev.deepgramlambda.cli.aws;

import dev.deepgramlambda.cli.HttpUrl;
import java.net.URI;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where in AWS a command works, as the AWS CLI takes it: the region, and an endpoint for an
 * emulator. A picocli mixin, so every command declares these two options the same way.
 */
public final class AwsLocation {
    public static final String REGION = "--region";
    public static final String ENDPOINT_URL = "--endpoint-url";

    @Option(names = REGION, paramLabel = "REGION",
            description = "The AWS region (default: AWS_REGION or your AWS profile's region).")
    private String region;

    @Option(names = ENDPOINT_URL, paramLabel = "URL", converter = HttpUrl.class,
            description = "Send AWS requests here instead: an emulator such as moto_server or LocalStack, "
                    + "already running.")
    private URI endpoint;

    public Optional<String> region() {
        return Optional.ofNullable(region);
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** Whether either option was given. */
    public boolean given() {
        return region != null || endpoint != null;
    }

    /** The account the default credential and region chains find, at this location. */
    public AwsTarget account() {
        return AwsTarget.account(region(), endpoint());
    }
}
