package dev.deepgramlambda.metrics;

import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.config.Settings;

/**
 * Where a function's metrics go: the CloudWatch namespace and the {@code Service} dimension's value.
 */
public record MetricsSettings(String namespace, String service) {

    public static MetricsSettings from(Env env) {
        return new MetricsSettings(env.read(Settings.METRICS_NAMESPACE), env.read(Settings.SERVICE_NAME));
    }
}
