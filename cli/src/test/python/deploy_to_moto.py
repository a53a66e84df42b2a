"""Deploys the SAM template into moto_server the way `sam deploy` would, as far as moto allows.

    deploy_to_moto.py --endpoint URL --stack-name NAME --health-url URL [--parameter KEY=VALUE ...]

1. The SAM transform runs locally (samtranslator, which ships with the SAM CLI), after pointing the
   functions' CodeUri and the alarms application's Location at a bucket in moto, as `sam package` does.
2. moto's CloudFormation creates every resource type it supports (buckets, queues, roles, functions,
   log groups, KMS key, topics, the schedule rule, permissions).
3. The resource types moto's CloudFormation lacks are created here, in CloudFormation's place, with the
   properties and references the transformed template gives them, through the same service APIs
   (UNSUPPORTED below names each). Secrets come first, because the functions refer to them; the rest
   after the stack, because they refer to its resources. Two are left out, and the outputs that
   refer to them are replaced:
   - AWS::Lambda::Url: moto cannot run the function behind it, so the HealthUrl output is --health-url
     (a test server playing the health endpoint);
   - the alarms application (AWS::CloudFormation::Stack): moto has no AWS::CloudWatch::Alarm, so
     each alarm of alarms/template.yaml is created with PutMetricAlarm from its resolved properties
     (named after the stack, as the nested stack names them), and the dashboard and DashboardUrl
     output are left out. The composite alarms (the SLO pages) are left out too: moto 5.2 has no
     PutCompositeAlarm; their signal alarms are created.
4. SnapStart (AutoPublishAlias `live` on every function) gives each function an AWS::Lambda::Version
   and an AWS::Lambda::Alias, and every event source targets the alias. moto 5.2's CloudFormation
   has no AWS::Lambda::Alias (a Ref to one resolves to nothing, and the permissions, schedule rules
   and S3 notifications that name it fail with a 500), and its AWS::Lambda::Version has no Version
   attribute for the alias to read. So versions (PublishVersion; moto ignores the SnapStart setting,
   which only changes how Lambda starts the version), aliases (CreateAlias), the permissions on them
   (AddPermission, after the EventBridge schedule rules that target the aliases and that the
   permissions name: PutRule, PutTargets for the health canary and CallbackSweepFunction) are
   created here, in that order, before the bucket's notifications (both S3 triggers of
   TranscribeFunction name its alias). These versions, aliases, permissions and rules are therefore
   not among the stack's resources in moto, as they would be in CloudFormation.

moto runs no function code here (no Docker): its Docker-free Lambda backend is selected, so that the
rotation schedule can be created (Secrets Manager runs the rotation function's testSecret step).

Prints the stack's outputs as JSON.
"""

import argparse
import io
import json
import os
import re
import sys
import urllib.request
import zipfile
from pathlib import Path

import boto3
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[4]
ACCOUNT = "123456789012"
REGION = "us-east-1"

# Resource types moto's CloudFormation does not create (moto 5.2: parsing.py skips them with a warning).
PRE_STACK = {"AWS::SecretsManager::Secret"}
# In creation order where it matters: a version before its alias, an alias before what names it.
POST_STACK = (
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::Events::Rule",
    "AWS::Lambda::Permission",
    "AWS::SecretsManager::ResourcePolicy",
    "AWS::SecretsManager::RotationSchedule",
    "AWS::SNS::Subscription",
    "AWS::Lambda::EventInvokeConfig",
    "AWS::S3::BucketPolicy",
    "AWS::IAM::RolePolicy",
)
LEFT_OUT = {"AWS::Lambda::Url", "AWS::CloudFormation::Stack"}
NO_VALUE = object()


class NoSamManagedPolicies:
    """The template names its own roles and policies; the transform needs no managed-policy lookup."""

    def load(self, *args, **kwargs):
        return {}


class Resolver:
    """CloudFormation's intrinsic functions over parameters, conditions and created resources."""

    def __init__(self, clients, template, parameters, stack_name):
        self.clients = clients
        self.template = template
        self.parameters = dict(parameters)
        self.pseudo = {"AWS::StackName": stack_name, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
                       "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}
        self.physical = {}
        # GetAtt values of the resources created here (a version's number, a rule's ARN)
        self.attributes = {}
        self.conditions = {}

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.resolve(self.template["Conditions"][name]))
        return self.conditions[name]

    def active(self, resource):
        return "Condition" not in resource or self.condition(resource["Condition"])

    def ref(self, name):
        if name in self.pseudo:
            return self.pseudo[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.parameters:
            return self.parameters[name]
        return self.physical[name]

    def get_att(self, logical_id, attribute):
        if (logical_id, attribute) in self.attributes:
            return self.attributes[(logical_id, attribute)]
        kind = self.template["Resources"][logical_id]["Type"]
        physical = self.physical[logical_id]
        if kind == "AWS::Lambda::Function" and attribute == "Arn":
            return self.clients["lambda"].get_function(FunctionName=physical)["Configuration"]["FunctionArn"]
        if kind == "AWS::IAM::Role" and attribute == "Arn":
            return self.clients["iam"].get_role(RoleName=physical)["Role"]["Arn"]
        if kind == "AWS::SQS::Queue" and attribute == "Arn":
            return self.clients["sqs"].get_queue_attributes(QueueUrl=physical, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        if kind == "AWS::SQS::Queue" and attribute == "QueueName":
            return physical.rsplit("/", 1)[1]
        if kind == "AWS::S3::Bucket" and attribute == "Arn":
            return f"arn:aws:s3:::{physical}"
        raise ValueError(f"no GetAtt {logical_id}.{attribute} here")

    def resolve(self, value):
        if isinstance(value, list):
            return [v for v in (self.resolve(item) for item in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (function, argument), = value.items()
            if function == "Ref":
                return self.ref(argument)
            if function == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return self.get_att(logical_id, attribute)
            if function == "Fn::If":
                name, when_true, when_false = argument
                return self.resolve(when_true if self.condition(name) else when_false)
            if function == "Fn::Equals":
                left, right = (str(self.resolve(v)) for v in argument)
                return left == right
            if function == "Fn::Not":
                return not self.resolve(argument[0])
            if function == "Fn::FindInMap":
                mapping, top, second = (self.resolve(v) for v in argument)
                return self.template["Mappings"][mapping][top][second]
            if function == "Fn::Sub":
                text, variables = argument if isinstance(argument, list) else (argument, {})
                variables = {k: self.resolve(v) for k, v in variables.items()}

                def substitute(match):
                    name = match.group(1)
                    if name in variables:
                        return str(variables[name])
                    if "." in name:
                        return str(self.get_att(*name.split(".", 1)))
                    return str(self.ref(name))

                return re.sub(r"\$\{([^}!]+)\}", substitute, text)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}


def transformed_template(stack_name, code_bucket):
    template = yaml_parse((ROOT / "template.yaml").read_text(encoding="utf-8"))
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{code_bucket}/function.zip"
        if resource["Type"] == "AWS::Serverless::Application":
            resource["Properties"]["Location"] = f"https://s3.amazonaws.com/{code_bucket}/alarms.yaml"
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    return transform(template, {}, NoSamManagedPolicies())


def resolve_conditions(resolver, value):
    """Fn::If chosen as CloudFormation chooses it, AWS::NoValue dropped: moto 5.2 fails on a list item
    that is an Fn::If resolving to AWS::NoValue (the rotation role's conditional policy)."""
    if isinstance(value, list):
        return [v for v in (resolve_conditions(resolver, item) for item in value) if v is not NO_VALUE]
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            name, when_true, when_false = value["Fn::If"]
            return resolve_conditions(resolver, when_true if resolver.condition(name) else when_false)
        if value == {"Ref": "AWS::NoValue"}:
            return NO_VALUE
        resolved = {k: resolve_conditions(resolver, v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
    return value


def replace_references(value, replacements):
    """Refs and GetAtt Arns of the resources created before the stack become their literal values."""
    if isinstance(value, list):
        return [replace_references(v, replacements) for v in value]
    if isinstance(value, dict):
        if set(value) == {"Ref"} and value["Ref"] in replacements:
            return replacements[value["Ref"]]
        return {k: replace_references(v, replacements) for k, v in value.items()}
    return value


def create_pre_stack(resolver, logical_id, resource, secret_values):
    properties = resolver.resolve(resource.get("Properties", {}))
    name = f"{resolver.pseudo['AWS::StackName']}-{logical_id}"
    arn = resolver.clients["secretsmanager"].create_secret(Name=name, Description=properties.get("Description", ""))["ARN"]
    if logical_id in secret_values:
        resolver.clients["secretsmanager"].put_secret_value(SecretId=arn, SecretString=secret_values[logical_id])
    return arn


def rotation_rules(rules):
    """moto enables rotation only for AutomaticallyAfterDays; `rate(N days)` means the same."""
    match = re.fullmatch(r"rate\((\d+) days?\)", rules.get("ScheduleExpression", ""))
    return {"AutomaticallyAfterDays": int(match.group(1))} if match else rules


def create_post_stack(resolver, logical_id, resource):
    kind = resource["Type"]
    p = resolver.resolve(resource.get("Properties", {}))
    c = resolver.clients
    if kind == "AWS::Lambda::Version":
        version = c["lambda"].publish_version(FunctionName=p["FunctionName"])
        resolver.physical[logical_id] = version["FunctionArn"]
        resolver.attributes[(logical_id, "Version")] = version["Version"]
    elif kind == "AWS::Lambda::Alias":
        alias = c["lambda"].create_alias(FunctionName=p["FunctionName"], Name=p["Name"], FunctionVersion=p["FunctionVersion"])
        resolver.physical[logical_id] = alias["AliasArn"]
    elif kind == "AWS::Lambda::Permission":
        known = ("Action", "Principal", "SourceArn", "SourceAccount", "FunctionUrlAuthType")
        c["lambda"].add_permission(FunctionName=p["FunctionName"], StatementId=logical_id, **{k: p[k] for k in known if k in p})
    elif kind == "AWS::Events::Rule":
        name = f"{resolver.pseudo['AWS::StackName']}-{logical_id}"[:64]
        rule = c["events"].put_rule(Name=name, ScheduleExpression=p["ScheduleExpression"], State=p.get("State", "ENABLED"),
                                    Description=p.get("Description", ""))
        c["events"].put_targets(Rule=name, Targets=p["Targets"])
        resolver.physical[logical_id] = name
        resolver.attributes[(logical_id, "Arn")] = rule["RuleArn"]
    elif kind == "AWS::SecretsManager::ResourcePolicy":
        c["secretsmanager"].put_resource_policy(SecretId=p["SecretId"], ResourcePolicy=json.dumps(p["ResourcePolicy"]),
                                                BlockPublicPolicy=p.get("BlockPublicPolicy", False))
    elif kind == "AWS::SecretsManager::RotationSchedule":
        c["secretsmanager"].rotate_secret(SecretId=p["SecretId"], RotationLambdaARN=p["RotationLambdaARN"],
                                          RotationRules=rotation_rules(p["RotationRules"]),
                                          RotateImmediately=p.get("RotateImmediatelyOnUpdate", True))
    elif kind == "AWS::SNS::Subscription":
        c["sns"].subscribe(TopicArn=p["TopicArn"], Protocol=p["Protocol"], Endpoint=p["Endpoint"])
    elif kind == "AWS::Lambda::EventInvokeConfig":
        c["lambda"].put_function_event_invoke_config(
            FunctionName=p["FunctionName"], Qualifier=p["Qualifier"], MaximumRetryAttempts=p["MaximumRetryAttempts"],
            MaximumEventAgeInSeconds=p["MaximumEventAgeInSeconds"], DestinationConfig=p["DestinationConfig"])
    elif kind == "AWS::S3::BucketPolicy":
        c["s3"].put_bucket_policy(Bucket=p["Bucket"], Policy=json.dumps(p["PolicyDocument"]))
    elif kind == "AWS::IAM::RolePolicy":
        c["iam"].put_role_policy(RoleName=p["RoleName"], PolicyName=p["PolicyName"], PolicyDocument=json.dumps(p["PolicyDocument"]))
    else:
        raise ValueError(f"{logical_id}: {kind} is not created here")


def bucket_notifications(resolver, bucket_logical_id, notification):
    """S3::Bucket NotificationConfiguration (moto's CloudFormation ignores it) through the S3 API."""
    configuration = resolver.resolve(notification)
    resolver.clients["s3"].put_bucket_notification_configuration(
        Bucket=resolver.physical[bucket_logical_id],
        NotificationConfiguration={"LambdaFunctionConfigurations": [
            {"LambdaFunctionArn": c["Function"], "Events": [c["Event"]],
             "Filter": {"Key": {"FilterRules": c["Filter"]["S3Key"]["Rules"]}}}
            for c in configuration.get("LambdaConfigurations", [])]})


def create_alarms(resolver, application):
    """The nested alarms stack's alarms, each resolved in the nested template with the parent's parameters."""
    parameters = resolver.resolve(application["Properties"]["Parameters"])
    alarms_template = yaml_parse((ROOT / "alarms" / "template.yaml").read_text(encoding="utf-8"))
    defaults = {k: v["Default"] for k, v in alarms_template["Parameters"].items() if "Default" in v}
    nested = Resolver(resolver.clients, alarms_template, {**defaults, **parameters}, resolver.pseudo["AWS::StackName"])
    for resource in alarms_template["Resources"].values():
        if resource["Type"] == "AWS::CloudWatch::Alarm":
            properties = nested.resolve(resource["Properties"])
            for number in ("Threshold", "Period", "EvaluationPeriods", "DatapointsToAlarm"):
                if number in properties:
                    properties[number] = float(properties[number]) if number == "Threshold" else int(properties[number])
            for query in properties.get("Metrics", []):
                if "MetricStat" in query:
                    query["MetricStat"]["Period"] = int(query["MetricStat"]["Period"])
            resolver.clients["cloudwatch"].put_metric_alarm(**properties)


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("--endpoint", required=True)
    arguments.add_argument("--stack-name", required=True)
    arguments.add_argument("--health-url", required=True)
    arguments.add_argument("--parameter", action="append", default=[])
    # LOGICAL_ID=VALUE: the value an operator puts into a secret after deploying. It goes in right after
    # the secret is created, because moto's RotateSecret fails on a secret without any version.
    arguments.add_argument("--secret-value", action="append", default=[])
    args = arguments.parse_args()
    parameters = dict(p.split("=", 1) for p in args.parameter)
    secret_values = dict(p.split("=", 1) for p in args.secret_value)

    request = urllib.request.Request(args.endpoint + "/moto-api/config", method="POST",
                                     data=json.dumps({"lambda": {"use_docker": False}}).encode())
    urllib.request.urlopen(request).close()
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    clients = {name: session.client(name, endpoint_url=args.endpoint)
               for name in ("cloudformation", "s3", "lambda", "iam", "sqs", "sns", "secretsmanager", "cloudwatch", "events")}

    code_bucket = f"{args.stack_name}-code"
    clients["s3"].create_bucket(Bucket=code_bucket)
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("placeholder.txt", "moto runs no code")
    clients["s3"].put_object(Bucket=code_bucket, Key="function.zip", Body=package.getvalue())

    template = transformed_template(args.stack_name, code_bucket)
    declared = {k: v.get("Default") for k, v in template["Parameters"].items()}
    resolver = Resolver(clients, template, {**declared, **parameters}, args.stack_name)
    resources = template["Resources"]

    replacements = {}
    for logical_id, resource in list(resources.items()):
        if resource["Type"] in PRE_STACK:
            del resources[logical_id]
            if resolver.active(resource):
                resolver.physical[logical_id] = replacements[logical_id] = create_pre_stack(resolver, logical_id, resource, secret_values)
            else:
                replacements[logical_id] = ""
    later = {k: resources.pop(k) for k in list(resources) if resources[k]["Type"] in set(POST_STACK) | LEFT_OUT}
    bucket_notification = {k: r["Properties"].pop("NotificationConfiguration") for k, r in resources.items()
                           if r["Type"] == "AWS::S3::Bucket" and "NotificationConfiguration" in r.get("Properties", {})}
    outputs = template["Outputs"]
    outputs["HealthUrl"]["Value"] = args.health_url
    del outputs["DashboardUrl"]
    template = replace_references(template, replacements)
    template["Resources"] = resolve_conditions(resolver, template["Resources"])

    clients["cloudformation"].create_stack(
        StackName=args.stack_name, TemplateBody=json.dumps(template),
        Parameters=[{"ParameterKey": k, "ParameterValue": str(v)} for k, v in parameters.items()],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    for summary in clients["cloudformation"].list_stack_resources(StackName=args.stack_name)["StackResourceSummaries"]:
        resolver.physical[summary["LogicalResourceId"]] = summary["PhysicalResourceId"]

    order = POST_STACK
    for logical_id, resource in sorted(later.items(), key=lambda item: order.index(item[1]["Type"]) if item[1]["Type"] in order else len(order)):
        if not resolver.active(resource):
            continue
        if resource["Type"] == "AWS::CloudFormation::Stack":
            create_alarms(resolver, resource)
        elif resource["Type"] in POST_STACK:
            create_post_stack(resolver, logical_id, resource)
    for logical_id, notification in bucket_notification.items():
        bucket_notifications(resolver, logical_id, notification)

    stack = clients["cloudformation"].describe_stacks(StackName=args.stack_name)["Stacks"][0]
    json.dump({o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}, sys.stdout)


if __name__ == "__main__":
    main()
