package dev.deepgramlambda.cli.stack;

import dev.deepgramlambda.cli.CommandLine;
import dev.deepgramlambda.cli.CommandLine.Option;
import dev.deepgramlambda.cli.UsageException;
import dev.deepgramlambda.cli.aws.AwsTarget;
import java.util.List;

/** How smoke and load find a deployed stack: its name, the region, and (for emulators) an endpoint. */
public final class StackOptions {
    public static final String STACK_NAME = "--stack-name";
    public static final String REGION = "--region";
    public static final String ENDPOINT_URL = "--endpoint-url";

    public static final List<Option> OPTIONS = List.of(
            Option.value(STACK_NAME, "NAME", "The CloudFormation stack sam deploy created."),
            Option.value(REGION, "REGION", "The stack's region (default: AWS_REGION or your AWS profile's region)."),
            Option.value(ENDPOINT_URL, "URL", "Send AWS requests here instead (an emulator such as moto_server)."));

    private StackOptions() {}

    public static AwsTarget aws(CommandLine arguments) throws UsageException {
        return AwsTarget.account(arguments.value(REGION), arguments.httpUri(ENDPOINT_URL));
    }
}
