"""The stack wires the four functions as their contracts say: logical ids, handlers, how sam build
builds them, configuration, logging, retries, encryption and outputs."""

import re

import pytest

from conftest import ROOT, is_ref, java_settings, resources_of_type

FUNCTIONS = {
    "TranscribeFunction": ("dev.deepgramlambda.transcribe.TranscribeHandler::handleRequest", "functions/transcribe"),
    "CallbackSweepFunction": ("dev.deepgramlambda.transcribe.CallbackSweepHandler::handleRequest", "functions/transcribe"),
    "HealthCheckFunction": ("dev.deepgramlambda.health.HealthCheckHandler::handleRequest", "functions/health"),
    "KeyRotationFunction": ("dev.deepgramlambda.rotation.KeyRotationHandler::handleRequest", "functions/key-rotation"),
}

# Variables the template must set (the rest have defaults in the functions).
REQUIRED_ENV = {
    "TranscribeFunction": {"DEEPGRAM_SECRET_ID", "DEEPGRAM_MODEL", "AUDIO_SOURCE", "OUTPUT_PREFIX", "DELIVERY", "CALLBACK_PREFIX",
                           "CAPTION_FORMATS"},
    # The sweep has no event to name the bucket, and must see the same settings as the submissions.
    "CallbackSweepFunction": {"DEEPGRAM_SECRET_ID", "DEEPGRAM_MODEL", "AUDIO_SOURCE", "OUTPUT_PREFIX", "DELIVERY",
                              "CALLBACK_PREFIX", "CALLBACK_TIMEOUT_MINUTES", "CALLBACK_BUCKET", "CAPTION_FORMATS"},
    "HealthCheckFunction": {"DEEPGRAM_SECRET_ID"},
    "KeyRotationFunction": {"DEEPGRAM_ADMIN_SECRET_ID"},
}


def variables_read_by(module):
    """Environment variable names a function can read: the Settings constants (Settings.java defines
    every variable) that core or the function's own module reads, e.g. env.read(Settings.AUDIO_SOURCE)."""
    settings = java_settings()
    names = set()
    for folder in (ROOT / "functions/core/src/main/java", ROOT / module / "src/main/java"):
        for source in folder.rglob("*.java"):
            for constant in re.findall(r"\bSettings\.([A-Z][A-Z0-9_]*)\b", source.read_text(encoding="utf-8")):
                names.add(settings[constant])
    return names


@pytest.fixture(scope="module")
def functions(main):
    return resources_of_type(main, "AWS::Serverless::Function")


def test_the_stack_has_exactly_the_four_functions(functions):
    assert set(functions) == set(FUNCTIONS)


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_function_runs_its_handler_on_java21_built_by_the_makefile(main, functions, logical_id):
    handler, module = FUNCTIONS[logical_id]
    function = functions[logical_id]
    assert function["Properties"]["Handler"] == handler
    assert function["Metadata"]["BuildMethod"] == "makefile"
    assert main["Globals"]["Function"]["Runtime"] == "java21"
    assert main["Globals"]["Function"]["CodeUri"] == "."

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^build-" + logical_id + r":\n((?:\t.*\n)+)", makefile, re.M)
    assert target, f"Makefile has no build-{logical_id} target"
    assert f"package-module,{module})" in target.group(1)


def test_makefile_packages_without_running_tests_into_lib():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-DskipTests" in makefile and " -am " in makefile
    assert "dependency:copy-dependencies" in makefile and "-DincludeScope=runtime" in makefile
    assert '"$(ARTIFACTS_DIR)/lib/"' in makefile


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_function_environment_names_only_variables_the_function_reads(main, functions, logical_id):
    module = FUNCTIONS[logical_id][1]
    if not (ROOT / module / "src/main/java").is_dir():
        pytest.skip(f"{module} is not on this branch yet")
    env = dict(main["Globals"]["Function"]["Environment"]["Variables"])
    env.update(functions[logical_id]["Properties"]["Environment"]["Variables"])
    read = variables_read_by(module)
    assert set(env) <= read, f"{logical_id} does not read {set(env) - read}"
    assert REQUIRED_ENV[logical_id] <= set(env)


def test_the_variable_scan_finds_what_transcription_reads():
    # Guards the scan: finding nothing would let any name through.
    assert {"DEEPGRAM_SECRET_ID", "OUTPUT_PREFIX", "AUDIO_SOURCE", "METRICS_NAMESPACE", "SERVICE_NAME",
            "DEEPGRAM_BASE_URL", "DEEPGRAM_TIMEOUT_SECONDS"} <= variables_read_by("functions/transcribe")


@pytest.mark.parametrize("logical_id", ["TranscribeFunction", "HealthCheckFunction"])
def test_transcription_and_health_read_the_same_secret(functions, logical_id):
    secret = functions[logical_id]["Properties"]["Environment"]["Variables"]["DEEPGRAM_SECRET_ID"]
    assert secret == {"Fn::If": ["CreateSecret", {"Ref": "DeepgramSecret"}, {"Ref": "ExistingSecretArn"}]}


@pytest.mark.parametrize("logical_id", sorted(FUNCTIONS))
def test_function_logs_json_into_its_own_group_with_retention(main, functions, logical_id):
    logging = functions[logical_id]["Properties"]["LoggingConfig"]
    assert logging["LogFormat"] == "JSON"
    group = main["Resources"][logging["LogGroup"]["Ref"]]
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert is_ref(group["Properties"]["RetentionInDays"], "LogRetentionDays")


def test_transcription_concurrency_stays_below_deepgrams_project_limit(main, functions):
    props = functions["TranscribeFunction"]["Properties"]
    assert props["ReservedConcurrentExecutions"] == {
        "Fn::If": ["ReserveTranscribeConcurrency", {"Ref": "TranscribeReservedConcurrency"}, {"Ref": "AWS::NoValue"}]
    }
    assert main["Parameters"]["TranscribeReservedConcurrency"]["Default"] == 50
    assert main["Parameters"]["TranscribeReservedConcurrency"]["Default"] < 100


def test_health_function_concurrency_is_bounded_so_a_url_burst_cannot_fan_out(functions):
    # Issue 10, item 9: /health may be public; each cold container calls Deepgram once per cache window.
    props = functions["HealthCheckFunction"]["Properties"]
    assert 2 <= props["ReservedConcurrentExecutions"] <= 5


def test_failed_transcriptions_retry_a_bounded_number_of_times_then_land_in_an_encrypted_queue(main, functions):
    config = functions["TranscribeFunction"]["Properties"]["EventInvokeConfig"]
    assert 0 <= config["MaximumRetryAttempts"] <= 2
    assert 60 <= config["MaximumEventAgeInSeconds"] <= 21600
    on_failure = config["DestinationConfig"]["OnFailure"]
    assert on_failure["Type"] == "SQS"
    assert on_failure["Destination"] == {"Fn::GetAtt": ["TranscribeFailureQueue", "Arn"]}
    queue = main["Resources"]["TranscribeFailureQueue"]["Properties"]
    assert queue.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in queue


def test_function_timeout_leaves_room_for_the_deepgram_attempts(main, functions):
    props = functions["TranscribeFunction"]["Properties"]
    assert is_ref(props["Timeout"], "TranscribeTimeoutSeconds")
    timeout = main["Parameters"]["TranscribeTimeoutSeconds"]["Default"]
    request = main["Parameters"]["DeepgramTimeoutSeconds"]["Default"]
    assert request == 30  # the checklist's request timeout
    assert timeout >= 3 * request + 60  # three attempts, backoff, S3 I/O and one stream fallback margin


def test_audio_bucket_is_encrypted_private_and_tls_only(main):
    bucket = main["Resources"]["AudioBucket"]
    props = bucket["Properties"]
    (rule,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert all(props["PublicAccessBlockConfiguration"][k] is True for k in (
        "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"))
    assert bucket["DeletionPolicy"] == "Retain"

    policy = main["Resources"]["AudioBucketPolicy"]["Properties"]
    assert is_ref(policy["Bucket"], "AudioBucket")
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny" and statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert {"Fn::GetAtt": ["AudioBucket", "Arn"]} in statement["Resource"]
    assert {"Fn::Sub": "${AudioBucket.Arn}/*"} in statement["Resource"]


def test_secret_is_created_only_when_no_existing_one_is_given(main):
    secret = main["Resources"]["DeepgramSecret"]
    assert secret["Condition"] == "CreateSecret"
    assert "SecretString" not in secret["Properties"] and "GenerateSecretString" not in secret["Properties"]
    assert main["Conditions"]["CreateSecret"] == {"Fn::Equals": [{"Ref": "ExistingSecretArn"}, ""]}
    assert main["Parameters"]["ExistingSecretArn"]["Default"] == ""


def test_rotation_is_optional_scoped_to_the_secret_and_well_before_expiry(main):
    resources = main["Resources"]
    assert main["Parameters"]["EnableKeyRotation"]["Default"] == "false"
    schedule = resources["KeyRotationSchedule"]
    assert schedule["Condition"] == "RotationEnabled"
    props = schedule["Properties"]
    # The alias of the SnapStart version (test_snapstart.py checks what SAM makes of it).
    assert props["RotationLambdaARN"] == {"Ref": "KeyRotationFunction.Alias"}
    assert props["RotateImmediatelyOnUpdate"] is False
    assert props["RotationRules"]["ScheduleExpression"] == {"Fn::Sub": "rate(${RotationScheduleDays} days)"}
    assert main["Parameters"]["RotationScheduleDays"]["Default"] * 2 < main["Parameters"]["KeyTtlDays"]["Default"]

    permission = resources["KeyRotationInvokePermission"]
    assert permission["Condition"] == "RotationEnabled"
    assert permission["Properties"]["Principal"] == "secretsmanager.amazonaws.com"
    assert permission["Properties"]["SourceArn"] == props["SecretId"]
    assert "KeyRotationInvokePermission" in as_list(schedule["DependsOn"])


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_alert_topics_are_encrypted_with_a_key_cloudwatch_may_use(main):
    resources = main["Resources"]
    statements = resources["AlertsKey"]["Properties"]["KeyPolicy"]["Statement"]
    cloudwatch = [s for s in statements if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert cloudwatch and {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(cloudwatch[0]["Action"])
    for topic in ("CriticalTopic", "WarningTopic"):
        assert is_ref(resources[topic]["Properties"]["KmsMasterKeyId"], "AlertsKey")


def test_email_subscriptions_exist_only_with_an_address_and_cover_both_topics(main):
    subscriptions = resources_of_type(main, "AWS::SNS::Subscription")
    assert {s["Properties"]["TopicArn"]["Ref"] for s in subscriptions.values()} == {"CriticalTopic", "WarningTopic"}
    for subscription in subscriptions.values():
        assert subscription["Condition"] == "HasNotificationEmail"
        assert subscription["Properties"]["Protocol"] == "email"
        assert is_ref(subscription["Properties"]["Endpoint"], "NotificationEmail")
    assert main["Parameters"]["NotificationEmail"]["Default"] == ""


def test_alarms_are_a_nested_application_that_gets_every_name_it_watches(main, alarms_template):
    nested = main["Resources"]["Alarms"]
    assert nested["Type"] == "AWS::Serverless::Application"
    assert nested["Properties"]["Location"] == "alarms/template.yaml"
    passed = nested["Properties"]["Parameters"]
    required = {name for name, p in alarms_template["Parameters"].items() if "Default" not in p}
    assert required <= set(passed)
    assert is_ref(passed["TranscribeFunctionName"], "TranscribeFunction")
    assert is_ref(passed["HealthCheckFunctionName"], "HealthCheckFunction")
    assert is_ref(passed["KeyRotationFunctionName"], "KeyRotationFunction")
    assert passed["FailureQueueName"] == {"Fn::GetAtt": ["TranscribeFailureQueue", "QueueName"]}


def test_outputs_tell_the_operator_where_everything_is(main):
    assert {
        "AudioBucketName", "UploadPrefix", "TranscriptPrefix", "DeepgramSecretArn", "HealthUrl",
        "FailureQueueUrl", "CriticalTopicArn", "WarningTopicArn", "DashboardUrl",
    } <= set(main["Outputs"])
    assert main["Outputs"]["DashboardUrl"]["Value"] == {"Fn::GetAtt": ["Alarms", "Outputs.DashboardUrl"]}


def test_health_url_output_is_the_path_the_function_answers(main):
    answers = ROOT / "functions/health/src/main/java/dev/deepgramlambda/health/HealthAnswers.java"
    health_path = re.search(r'HEALTH_PATH = "([^"]+)"', answers.read_text()).group(1)
    value = main["Outputs"]["HealthUrl"]["Value"]
    # Function URLs end in '/', so the output appends the path without its leading slash.
    assert value == {"Fn::Sub": "${HealthCheckFunctionUrl.FunctionUrl}" + health_path.lstrip("/")}
