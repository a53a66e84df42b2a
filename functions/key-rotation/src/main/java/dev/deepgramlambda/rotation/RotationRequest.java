package dev.deepgramlambda.rotation;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.Arrays;

/**
 * One invocation from Secrets Manager. {@code RotationToken}, sent for rotations across accounts,
 * is not needed: this function only rotates secrets in its own account.
 *
 * @param token the ClientRequestToken, which is also the id of the version being rotated in
 */
record RotationRequest(Step step, String secretId, String token) {

    /** The rotation contract's steps, in the order Secrets Manager invokes them. */
    enum Step {
        CREATE_SECRET("createSecret"), SET_SECRET("setSecret"), TEST_SECRET("testSecret"), FINISH_SECRET("finishSecret");

        private final String eventName;

        Step(String eventName) {
            this.eventName = eventName;
        }

        String eventName() {
            return eventName;
        }
    }

    /** @throws IllegalArgumentException naming the missing or unknown field */
    static RotationRequest from(SecretsManagerRotationEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("empty event: expected Secrets Manager's {\"Step\", \"SecretId\", \"ClientRequestToken\"}");
        }
        String stepName = required("Step", event.getStep());
        Step step = Arrays.stream(Step.values())
                .filter(s -> s.eventName.equals(stepName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Step '" + stepName + "'; expected one of "
                        + Arrays.stream(Step.values()).map(Step::eventName).toList()));
        return new RotationRequest(step, required("SecretId", event.getSecretId()), required("ClientRequestToken", event.getClientRequestToken()));
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("rotation event has no " + field);
        }
        return value.trim();
    }
}
