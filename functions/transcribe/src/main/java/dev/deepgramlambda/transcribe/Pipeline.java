package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.aws.AwsClientSettings;
import dev.deepgramlambda.config.Env;
import dev.deepgramlambda.deepgram.DeepgramClient;
import dev.deepgramlambda.metrics.MetricsPublisher;
import dev.deepgramlambda.secrets.SecretCache;
import java.time.Clock;
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
    final AudioStore audio;
    final TranscriptWriter writer;
    final CallbackJobs callbacks;
    final RecordTranscriber transcriber;
    final CallbackCompleter completer;
    final Admission admission;

    private Pipeline(TranscribeConfig config, TranscriptionMetrics metrics, AudioStore audio, TranscriptWriter writer,
                     CallbackJobs callbacks, RecordTranscriber transcriber, Admission admission) {
        this.config = config;
        this.metrics = metrics;
        this.report = new OutcomeReport(metrics, config.audioSource());
        this.audio = audio;
        this.writer = writer;
        this.callbacks = callbacks;
        this.transcriber = transcriber;
        this.admission = admission;
        this.completer = new CallbackCompleter(callbacks, audio, writer, admission);
    }

    static Pipeline build(Env env, AwsClientSettings aws, Clock clock) {
        TranscribeConfig config = TranscribeConfig.from(env);
        boolean emulator = aws.endpoint().isPresent();
        S3Client s3 = aws.build(S3Client.builder().forcePathStyle(emulator));
        S3Presigner.Builder presignerBuilder = S3Presigner.builder().region(aws.region())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(emulator).build());
        aws.endpoint().ifPresent(presignerBuilder::endpointOverride);
        S3Presigner presigner = presignerBuilder.build();
        SecretsManagerClient secretsManager = aws.build(SecretsManagerClient.builder());
        SecretCache secrets = new SecretCache(secretsManager, config.secretId(), config.secretTtl(), clock);
        DeepgramClient deepgram = DeepgramClient.create(config.deepgram());
        AudioStore audio = new AudioStore(s3, presigner, config.presignedUrlTtl());
        OutputNames names = new OutputNames(config.outputPrefix());
        TranscriptWriter writer = new TranscriptWriter(s3, config.outputBucket(), names, clock);
        Admission admission = new Admission(s3, config.callbacks(), config.maxConcurrency(), clock);
        CallbackJobs callbacks = new CallbackJobs(s3, presigner, config.callbacks(), deepgram, secrets, admission, clock);
        return new Pipeline(config, new TranscriptionMetrics(MetricsPublisher.from(env)), audio, writer, callbacks,
                new RecordTranscriber(config, audio, writer, deepgram, secrets, callbacks, admission,
                        new UploadClaims(s3, writer, names, clock)), admission);
    }
}
