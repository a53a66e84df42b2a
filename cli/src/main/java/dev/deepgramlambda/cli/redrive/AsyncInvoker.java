package dev.deepgramlambda.cli.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepgramlambda.cli.stack.Deployment;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Hands an event to the function as S3 did: an asynchronous Invoke ({@code InvocationType: Event}).
 * Lambda answers 202 once the event is in the function's queue; the function then runs, with the
 * function's own retries and on-failure destination, as for the original upload. The event goes to
 * the alias the template publishes ({@link Deployment#ALIAS}), as S3's does: the alias is the SnapStart
 * version, and the on-failure destination is configured on it, not on $LATEST.
 */
final class AsyncInvoker {
    static final int ACCEPTED = 202;

    private final LambdaClient lambda;
    private final String function;

    AsyncInvoker(LambdaClient lambda, String function) {
        this.lambda = lambda;
        this.function = function;
    }

    /** @return Lambda's status code: 202 when the event was accepted */
    int invoke(JsonNode event) {
        return lambda.invoke(r -> r.functionName(function).qualifier(Deployment.ALIAS).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(event.toString()))).statusCode();
    }

    /** The function and alias invoked, as Lambda names them: {@code NAME:live}. */
    String function() {
        return function + ":" + Deployment.ALIAS;
    }
}
