"""SnapStart on every function, and every way in (S3 notification, schedule, Function URL, async
invoke config, rotation) aimed at the alias of the published version SnapStart restores.

SnapStart only applies to published versions: an event source left on the bare function would
invoke $LATEST, which is never snapshotted, and silently lose SnapStart. These tests therefore run
the SAM transform (offline, as `sam validate` does) and check the resources it generates, not only
what the template says."""

import pytest

from conftest import resources_of_type

FUNCTIONS = ["TranscribeFunction", "HealthCheckFunction", "KeyRotationFunction"]
ALIAS = "live"


@pytest.fixture(scope="module")
def transformed(transformed_main):
    return transformed_main["Resources"]


def alias_id(function):
    return f"{function}Alias{ALIAS}"


def function_properties(main, function):
    """A function's properties with the Globals it inherits."""
    return {**main["Globals"]["Function"], **main["Resources"][function]["Properties"]}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_snapshots_its_published_versions(main, function):
    properties = function_properties(main, function)
    assert properties["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert properties["AutoPublishAlias"] == ALIAS


@pytest.mark.parametrize("function", FUNCTIONS)
def test_nothing_snapstart_cannot_run_with(main, function):
    properties = function_properties(main, function)
    assert "ProvisionedConcurrencyConfig" not in properties
    assert "FileSystemConfigs" not in properties
    assert properties.get("EphemeralStorage", {"Size": 512})["Size"] <= 512
    assert properties["Runtime"] == "java21"


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_transform_publishes_a_version_behind_the_alias(transformed, function):
    alias = transformed[alias_id(function)]
    assert alias["Type"] == "AWS::Lambda::Alias"
    version_id = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
    assert transformed[version_id]["Type"] == "AWS::Lambda::Version"
    assert transformed[function]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}


def test_s3_notification_invokes_the_alias(transformed):
    bucket = transformed["AudioBucket"]["Properties"]
    targets = [c["Function"] for c in bucket["NotificationConfiguration"]["LambdaConfigurations"]]
    # Uploads, and Deepgram's callback results.
    assert targets == [{"Ref": alias_id("TranscribeFunction")}] * 2
    for event in ("AudioUploaded", "CallbackResultArrived"):
        permission = transformed[f"TranscribeFunction{event}Permission"]["Properties"]
        assert permission["FunctionName"] == {"Ref": alias_id("TranscribeFunction")}


def test_schedules_invoke_the_aliases(transformed):
    rules = resources_of_type({"Resources": transformed}, "AWS::Events::Rule")
    targets = sorted(t["Arn"]["Ref"] for rule in rules.values() for t in rule["Properties"]["Targets"])
    assert targets == sorted([alias_id("HealthCheckFunction"), alias_id("CallbackSweepFunction")])


def test_function_url_and_its_public_permissions_belong_to_the_alias(transformed):
    url = transformed["HealthCheckFunctionUrl"]["Properties"]
    assert url["TargetFunctionArn"] == {"Ref": alias_id("HealthCheckFunction")}
    for permission in ("HealthCheckFunctionUrlPublicInvokeUrl", "HealthCheckFunctionUrlPublicInvoke"):
        assert transformed[permission]["Properties"]["FunctionName"] == {"Ref": alias_id("HealthCheckFunction")}


@pytest.mark.parametrize("function", ["TranscribeFunction", "HealthCheckFunction"])
def test_async_invoke_config_applies_to_the_alias(transformed, function):
    config = transformed[f"{function}EventInvokeConfig"]["Properties"]
    assert config["Qualifier"] == ALIAS


def test_failed_uploads_still_reach_the_failure_queue_from_the_alias(transformed):
    config = transformed["TranscribeFunctionEventInvokeConfig"]["Properties"]
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": ["TranscribeFailureQueue", "Arn"]}


def test_secrets_manager_rotates_through_the_alias_and_may_invoke_only_it(transformed):
    schedule = transformed["KeyRotationSchedule"]["Properties"]
    assert schedule["RotationLambdaARN"] == {"Ref": alias_id("KeyRotationFunction")}
    permission = transformed["KeyRotationInvokePermission"]["Properties"]
    assert permission["FunctionName"] == {"Ref": alias_id("KeyRotationFunction")}
    assert permission["Principal"] == "secretsmanager.amazonaws.com"


def test_no_permission_or_trigger_is_left_on_the_unpublished_function(transformed):
    """Every way to invoke names an alias; only the alias and version themselves name the function."""
    for logical_id, resource in transformed.items():
        if resource["Type"] == "AWS::Lambda::Permission":
            assert resource["Properties"]["FunctionName"]["Ref"].endswith(f"Alias{ALIAS}"), logical_id


def test_alarms_watch_the_function_name_so_every_version_counts(main, alarms):
    """AWS/Lambda metrics carry FunctionName (all versions and aliases together) and Resource
    (one alias or version). An alarm on FunctionName keeps counting across the new version each
    deployment publishes; one on Resource=alias would miss invocations of any other qualifier."""
    lambda_alarms = [a for a in alarms.values() if a["Properties"].get("Namespace") == "AWS/Lambda"]
    assert lambda_alarms
    for alarm in lambda_alarms:
        names = [d["Name"] for d in alarm["Properties"]["Dimensions"]]
        assert names == ["FunctionName"]
    parameters = main["Resources"]["Alarms"]["Properties"]["Parameters"]
    for function in FUNCTIONS:
        assert parameters[f"{function}Name"] == {"Ref": function}

