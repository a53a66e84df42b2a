package dev.deepgramlambda.rotation;

/**
 * How a step ended, for the log line and the metrics.
 *
 * @param promoted true only for the finishSecret call that moved AWSCURRENT to the new key
 * @param retirement what finishSecret did about the key two rotations back
 */
record StepResult(String summary, boolean promoted, OldKeyRetirement.Outcome retirement) {
    static StepResult done(String summary) {
        return new StepResult(summary, false, OldKeyRetirement.Outcome.NONE);
    }
}
