package dev.deepgramlambda.cli.stack;

import dev.deepgramlambda.cli.aws.AwsTarget;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The picocli commands' way to AWS: {@code --region} and {@code --endpoint-url}, as {@link StackOptions} declares them for the others. */
public final class AwsOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = StackOptions.REGION, paramLabel = "REGION",
            description = "The stack's region (default: AWS_REGION or your AWS profile's region).")
    String region;

    @Option(names = StackOptions.ENDPOINT_URL, paramLabel = "URL",
            description = "Send AWS requests here instead (an emulator such as moto_server).")
    URI endpoint;

    /** The AWS to talk to, in {@code region} unless --region was given. */
    public AwsTarget aws(Optional<String> defaultRegion) {
        if (endpoint != null && !(List.of("http", "https").contains(endpoint.getScheme()) && endpoint.getHost() != null)) {
            throw new ParameterException(spec.commandLine(), StackOptions.ENDPOINT_URL + " must be an http(s) URL, got '" + endpoint + "'");
        }
        return AwsTarget.account(Optional.ofNullable(region).or(() -> defaultRegion), Optional.ofNullable(endpoint));
    }
}
