package dev.deepgramlambda.transcribe;

import dev.deepgramlambda.logging.JsonLog;

/** How one record ended, told twice: as EMF metrics for the alarms, and as one log line for people. */
final class OutcomeReport {
    private final TranscriptionMetrics metrics;
    private final TranscribeConfig.AudioSource audioSource;

    OutcomeReport(TranscriptionMetrics metrics, TranscribeConfig.AudioSource audioSource) {
        this.metrics = metrics;
        this.audioSource = audioSource;
    }

    void report(UploadEvent upload, Outcome outcome, long totalMillis, JsonLog log) {
        metrics.publish(outcome);
        OutcomeLogLine.write(log, upload, outcome, totalMillis, audioSource);
    }
}
