package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.outputs.OutputNames;
import dev.deepgramlambda.secrets.SecretCache;
import java.time.Clock;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Everything a container builds once and every invocation reuses: clients, the Deepgram client
 * with its pool and circuit breaker, the secret cache, and the steps built on them. The upload
 * handler and the callback sweep share it, so both take the same path to Deepgram and to S3.
 */
final class Pipeline {
    final TranscribeConfig config;
    final TranscriptionMetrics metrics;
    final OutcomeReport report;
    final DeepgramClient deepgram;
    final CallbackJobs callbacks;
    final RecordTranscriber transcriber;
    final CallbackCompleter completer;
    final Admission admission;

    private Pipeline(TranscribeConfig config, TranscriptionMetrics metrics, DeepgramClient deepgram, CallbackJobs callbacks,
                     RecordTranscriber transcriber, CallbackCompleter completer, Admission admission) {
        this.config = config;
        this.metrics = metrics;
        this.deepgram = deepgram;
        this.report = new OutcomeReport(metrics, config.audioSource());
        this.callbacks = callbacks;
        this.transcriber = transcriber;
        this.completer = completer;
        this.admission = admission;
    }

    /** The function's own pipeline: clients for the AWS and the Deepgram the environment names. */
    static Pipeline build(Env env, AwsClientSettings aws, Clock clock) {
        TranscribeConfig config = TranscribeConfig.from(env);
        return over(config, aws, aws.build(S3Client.builder().forcePathStyle(aws.endpoint().isPresent())),
                aws.build(SecretsManagerClient.builder()), DeepgramClient.create(config.deepgram()),
                DefaultCredentialsProvider.builder().build(), new TranscriptionMetrics(MetricsPublisher.from(env)), clock);
    }

    /** The pipeline over the given clients: the function's own, or priming's in-memory ones. */
    static Pipeline over(TranscribeConfig config, AwsClientSettings aws, S3Client s3, SecretsManagerClient secretsManager,
                         DeepgramClient deepgram, AwsCredentialsProvider presignerCredentials, TranscriptionMetrics metrics,
                         Clock clock) {
        S3Presigner.Builder presignerBuilder = S3Presigner.builder().region(aws.region()).credentialsProvider(presignerCredentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(aws.endpoint().isPresent()).build());
        aws.endpoint().ifPresent(presignerBuilder::endpointOverride);
        S3Presigner presigner = presignerBuilder.build();
        SecretCache secrets = new SecretCache(secretsManager, config.secretId(), config.secretTtl(), clock);
        AudioStore audio = new AudioStore(s3, presigner, config.presignedUrlTtl());
        OutputNames names = new OutputNames(config.outputPrefix());
        TranscriptWriter writer = new TranscriptWriter(s3, config.outputBucket(), names, clock);
        Admission admission = new Admission(s3, config.callbacks(), config.maxConcurrency(), clock);
        CallbackJobs callbacks = new CallbackJobs(s3, presigner, config.callbacks(), admission, clock);
        return new Pipeline(config, metrics, deepgram, callbacks,
                new RecordTranscriber(config, audio, writer, deepgram, secrets, callbacks, admission,
                        new UploadClaims(s3, writer, names, clock)),
                new CallbackCompleter(callbacks, audio, writer, admission), admission);
    }
}
