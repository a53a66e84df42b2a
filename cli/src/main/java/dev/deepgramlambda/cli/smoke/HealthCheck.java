package dev.deepgramlambda.cli.smoke;

import dev.deepgramlambda.cli.aws.AwsTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * GETs the stack's health URL. A Lambda Function URL with {@code AuthType: AWS_IAM} answers an
 * unsigned request with 403, so a 403 is retried once signed with SigV4 (service {@code lambda}) with
 * the caller's credentials, as {@code awscurl} or an IAM-authorised client would.
 */
public final class HealthCheck {
    private static final Pattern FUNCTION_URL_REGION = Pattern.compile("\\.lambda-url\\.([a-z0-9-]+)\\.on\\.aws$");
    /** Headers java.net.http sets itself and refuses to take. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

    /** What the endpoint answered. */
    public record Verdict(int status, String body, Duration latency, boolean signed) {
        public boolean healthy() {
            return status == 200;
        }
    }

    private final HttpClient http;
    private final AwsTarget aws;
    private final Duration timeout;

    public HealthCheck(AwsTarget aws, Duration timeout) {
        this.aws = aws;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public Verdict check(URI url) throws IOException, InterruptedException {
        Verdict unsigned = get(HttpRequest.newBuilder(url), false);
        if (unsigned.status() != 403) {
            return unsigned;
        }
        HttpRequest.Builder signed = HttpRequest.newBuilder(url);
        sign(url).request().headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> signed.header(name, value));
            }
        });
        return get(signed, true);
    }

    private Verdict get(HttpRequest.Builder request, boolean signed) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request.timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Verdict(response.statusCode(), response.body(), Duration.ofNanos(System.nanoTime() - started), signed);
    }

    private SignedRequest sign(URI url) {
        SdkHttpRequest request = SdkHttpRequest.builder().uri(url).method(SdkHttpMethod.GET).build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(aws.resolvedCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion(url)));
    }

    /** A Function URL names its region ({@code <id>.lambda-url.<region>.on.aws}); otherwise the stack's. */
    private String signingRegion(URI url) {
        Matcher matcher = FUNCTION_URL_REGION.matcher(String.valueOf(url.getHost()));
        return matcher.find() ? matcher.group(1) : aws.region().id();
    }

    public static List<String> summary(Verdict verdict) {
        String body = verdict.body().strip().replaceAll("\\s+", " ");
        return List.of(verdict.status() + " in " + verdict.latency().toMillis() + " ms" + (verdict.signed() ? " (SigV4-signed)" : ""),
                body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
