package dev.deepgramlambda.aws;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How every AWS SDK client is built: the lightweight URLConnection HTTP client (fast cold start,
 * no Apache or Netty), the region from {@code AWS_REGION}, and {@code AWS_ENDPOINT_URL} when set so
 * the same code runs against an emulator.
 *
 * @param interceptors extra SDK interceptors; tests use them to count calls made to the emulator
 */
public record AwsClientSettings(Region region, Optional<URI> endpoint, List<ExecutionInterceptor> interceptors) {
    public AwsClientSettings {
        interceptors = List.copyOf(interceptors);
    }

    public static AwsClientSettings from(Env env) {
        return new AwsClientSettings(Region.of(env.read(Settings.AWS_REGION)), env.read(Settings.AWS_ENDPOINT_URL), List.of());
    }

    public AwsClientSettings withInterceptor(ExecutionInterceptor interceptor) {
        List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
        all.add(interceptor);
        return new AwsClientSettings(region, endpoint, all);
    }

    /** Applies these settings to any SDK client builder and builds the client. */
    public <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        interceptors.forEach(override::addExecutionInterceptor);
        builder.region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(15)))
                .overrideConfiguration(override.build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
