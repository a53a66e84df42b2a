package dev.deepgramlambda.cli.verify;

import dev.deepgramlambda.cli.stack.Deployment;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * CallbackSweepFunction exists and an enabled EventBridge schedule invokes its alias: without it,
 * uploads waiting for an admission slot are never admitted and lost callback results never resubmitted.
 */
final class SweepCheck {
    private static final String ITEM = "callback sweep";

    private final LambdaClient lambda;
    private final EventBridgeClient events;

    SweepCheck(LambdaClient lambda, EventBridgeClient events) {
        this.lambda = lambda;
        this.events = events;
    }

    List<Finding> check(DeployedStack stack) {
        Optional<String> name = stack.physicalId(Deployment.CALLBACK_SWEEP_FUNCTION);
        if (name.isEmpty()) {
            return List.of(Finding.fail(ITEM, "the stack has no " + Deployment.CALLBACK_SWEEP_FUNCTION + ": uploads waiting for a"
                    + " Deepgram slot and callback jobs whose result never came would wait forever; redeploy the stack"));
        }
        String alias;
        try {
            alias = lambda.getAlias(r -> r.functionName(name.get()).name(Deployment.ALIAS)).aliasArn();
        } catch (ResourceNotFoundException e) {
            return List.of(Finding.fail(ITEM, name.get() + " has no alias " + Deployment.ALIAS + ": redeploy the stack (AutoPublishAlias)"));
        }
        List<DescribeRuleResponse> rules = events.listRuleNamesByTarget(r -> r.targetArn(alias)).ruleNames().stream()
                .map(rule -> events.describeRule(r -> r.name(rule))).filter(rule -> rule.scheduleExpression() != null).toList();
        Optional<DescribeRuleResponse> enabled = rules.stream().filter(rule -> rule.state() == RuleState.ENABLED).findFirst();
        if (enabled.isPresent()) {
            return List.of(Finding.pass(ITEM, alias + " " + enabled.get().scheduleExpression() + " (rule " + enabled.get().name() + ")"));
        }
        if (!rules.isEmpty()) {
            String rule = rules.get(0).name();
            return List.of(Finding.fail(ITEM, "the schedule of " + alias + ", rule " + rule + ", is " + rules.get(0).stateAsString()
                    + ": waiting uploads are not admitted and lost results not resubmitted", "aws events enable-rule --name " + rule));
        }
        return List.of(Finding.fail(ITEM, "no EventBridge schedule invokes " + alias
                + ": waiting uploads are not admitted and lost results not resubmitted; redeploy the stack (the EveryMinute event)"));
    }
}
