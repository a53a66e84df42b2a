package dev.deepgramlambda.cli.verify;

/**
 * Deepgram's concurrency limit for pre-recorded transcription, per project (not per key; extra
 * projects add nothing). From developers.deepgram.com/reference/api-rate-limits, read 2026-12-03:
 * <ul>
 *   <li>the current page, with limits per plan and region: Pay as You Go, Nova-3 (also Nova-2, Nova,
 *       Enhanced, Base) pre-recorded "up to 50 concurrent requests" on api.deepgram.com; Whisper
 *       Cloud 3; requests with diarization also 50;</li>
 *   <li>earlier versions of the same page: "Pay as You Go / Growth" up to 100 concurrent pre-recorded
 *       requests (Whisper 5); Enterprise "starting at 100".</li>
 * </ul>
 * Beyond the limit Deepgram answers 429. The default is the lower, current Pay as You Go figure; an
 * operator on Growth or Enterprise passes their own with {@code --deepgram-concurrency-limit}.
 */
final class DeepgramLimits {
    static final int PAY_AS_YOU_GO_PRERECORDED = 50;
    static final String SOURCE = "Pay as You Go, pre-recorded Nova; developers.deepgram.com/reference/api-rate-limits, read 2026-12-03";

    private DeepgramLimits() {}
}
