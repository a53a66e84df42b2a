"""Least privilege: no IAM wildcard outside the documented exceptions, each function's role grants
exactly what the function needs, and the SAM transform adds no permissions of its own."""

import re

from conftest import MAIN_TEMPLATE, ALARMS_TEMPLATE, is_ref, load_template, render_sub

# (resource, statement Sid) -> why AWS requires a wildcard there. Each is also commented in the
# template with "AWS requires the wildcard here".
DOCUMENTED_WILDCARD_RESOURCES = {
    ("AlertsKey", "AccountAdministersTheKey"): "in a key policy, Resource '*' is the key itself",
    ("AlertsKey", "CloudWatchAlarmsOfThisAccountPublish"): "in a key policy, Resource '*' is the key itself",
}
# (resource, Sid) -> why an Allow may use an action wildcard.
DOCUMENTED_WILDCARD_ACTIONS = {
    ("AlertsKey", "AccountAdministersTheKey"): "the account's administrators manage the key (KMS default key policy)",
    ("AlertsKey", "CloudWatchAlarmsOfThisAccountPublish"): "kms:GenerateDataKey* is the family SNS encryption uses",
}

POLICY_PROPERTIES = {
    "AWS::IAM::Role": "Policies",
    "AWS::IAM::RolePolicy": "PolicyDocument",
    "AWS::IAM::Policy": "PolicyDocument",
    "AWS::IAM::ManagedPolicy": "PolicyDocument",
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::KMS::Key": "KeyPolicy",
    "AWS::SecretsManager::ResourcePolicy": "ResourcePolicy",
}


def branches(value):
    """Both branches of every Fn::If; AWS::NoValue disappears."""
    if isinstance(value, dict) and "Fn::If" in value:
        _, then, otherwise = value["Fn::If"]
        yield from branches(then)
        yield from branches(otherwise)
    elif not is_ref(value, "AWS::NoValue"):
        yield value


def as_list(value):
    return value if isinstance(value, list) else [value]


def statements(template):
    """(logical id, statement) for every policy statement in the template, conditions expanded."""
    for logical_id, resource in template["Resources"].items():
        prop = POLICY_PROPERTIES.get(resource["Type"])
        if not prop or prop not in resource.get("Properties", {}):
            continue
        value = resource["Properties"][prop]
        documents = (
            [d for policy in as_list(value) for p in branches(policy) for d in branches(p["PolicyDocument"])]
            if prop == "Policies"
            else list(branches(value))
        )
        for document in documents:
            for statement in as_list(document["Statement"]):
                for expanded in branches(statement):
                    yield logical_id, expanded


def resource_strings(statement):
    """Each resource of a statement, rendered: Ref/GetAtt become '<concrete>', Subs are rendered
    with their variables kept as ${...} so wildcards stay visible."""
    for resource in as_list(statement.get("Resource", [])):
        for value in branches(resource):
            if isinstance(value, str):
                yield value
            elif "Fn::Sub" in value:
                yield render_sub(value["Fn::Sub"], lambda name: "${" + name + "}")
            else:
                assert set(value) <= {"Ref", "Fn::GetAtt"}, f"unexpected resource form {value}"
                yield "<concrete>"


# A wildcard allowed anywhere: objects under one of the two single-segment prefixes of the bucket.
OBJECTS_UNDER_A_PREFIX = re.compile(
    r"^\$\{AudioBucket\.Arn\}/(\$\{(InputPrefix|OutputPrefix)\}|\$\{CallbackPrefix\}(pending|results|slots|queue)/)\*$")


def allow_statements():
    for template in (load_template(MAIN_TEMPLATE), load_template(ALARMS_TEMPLATE)):
        for logical_id, statement in statements(template):
            if statement["Effect"] == "Allow":
                yield logical_id, statement


def test_policy_walker_sees_the_roles_policies():
    # Guards the walker: finding nothing would make the wildcard tests pass vacuously.
    sids = {(logical_id, s.get("Sid")) for logical_id, s in allow_statements()}
    assert ("TranscribeFunctionRole", "ReadTheDeepgramKey") in sids
    assert ("TranscribeFunctionS3Access", "ReadUploadsUnderTheInputPrefix") in sids
    assert ("KeyRotationFunctionRole", "RotateTheDeepgramKey") in sids  # inside a Fn::If
    assert ("AlertsKey", "AccountAdministersTheKey") in sids


def test_no_allow_statement_has_a_wildcard_resource_outside_the_documented_exceptions():
    found = set()
    for logical_id, statement in allow_statements():
        for resource in resource_strings(statement):
            if "*" not in resource or OBJECTS_UNDER_A_PREFIX.match(resource):
                continue
            found.add((logical_id, statement.get("Sid")))
    assert found == set(DOCUMENTED_WILDCARD_RESOURCES)


def test_no_allow_statement_has_a_wildcard_action_outside_the_documented_exceptions():
    found = set()
    for logical_id, statement in allow_statements():
        if any("*" in action for action in as_list(statement["Action"])):
            found.add((logical_id, statement.get("Sid")))
    assert found == set(DOCUMENTED_WILDCARD_ACTIONS)


def test_no_allow_statement_grants_to_everyone():
    for logical_id, statement in allow_statements():
        assert statement.get("Principal") != "*", f"{logical_id} {statement.get('Sid')}"
        assert "NotResource" not in statement and "NotAction" not in statement


def test_each_documented_exception_is_commented_in_the_template():
    text = MAIN_TEMPLATE.read_text(encoding="utf-8")
    for logical_id, _ in DOCUMENTED_WILDCARD_RESOURCES:
        block = re.search(r"^  " + logical_id + r":\n(.*?)(?=^  \w)", text, re.S | re.M).group(1)
        assert "AWS requires the wildcard here" in block, logical_id


def allowed(template, role):
    """{action: [resources]} that a role's inline policies and attached RolePolicies allow."""
    grants = {}
    attached = [
        logical_id for logical_id, r in template["Resources"].items()
        if r["Type"] == "AWS::IAM::RolePolicy" and is_ref(r["Properties"]["RoleName"], role)
    ]
    for logical_id, statement in statements(template):
        if logical_id in [role, *attached] and statement["Effect"] == "Allow":
            for action in as_list(statement["Action"]):
                grants.setdefault(action, []).extend(
                    r for resource in as_list(statement["Resource"]) for r in branches(resource)
                )
    return grants


SECRET = {"Fn::If": ["CreateSecret", {"Ref": "DeepgramSecret"}, {"Ref": "ExistingSecretArn"}]}


def test_transcribe_role_reads_inputs_writes_outputs_and_reads_only_its_secret(main):
    grants = allowed(main, "TranscribeFunctionRole")
    outputs_and_callback_state = [
        {"Fn::Sub": "${AudioBucket.Arn}/${OutputPrefix}*"},
        {"Fn::Sub": "${AudioBucket.Arn}/${CallbackPrefix}pending/*"},
        {"Fn::Sub": "${AudioBucket.Arn}/${CallbackPrefix}slots/*"},
        {"Fn::Sub": "${AudioBucket.Arn}/${CallbackPrefix}queue/*"},
        {"Fn::Sub": "${AudioBucket.Arn}/${CallbackPrefix}results/*"},
    ]
    assert grants["s3:GetObject"] == [{"Fn::Sub": "${AudioBucket.Arn}/${InputPrefix}*"}, *outputs_and_callback_state]
    # A presigned PUT URL carries the signer's rights: Deepgram's callback can write nowhere else.
    assert grants["s3:PutObject"] == outputs_and_callback_state
    assert grants["s3:DeleteObject"] == outputs_and_callback_state
    assert grants["s3:ListBucket"] == [{"Fn::GetAtt": ["AudioBucket", "Arn"]}]
    assert grants["secretsmanager:GetSecretValue"] == list(branches(SECRET))
    assert grants["sqs:SendMessage"] == [{"Fn::GetAtt": ["TranscribeFailureQueue", "Arn"]}]
    assert set(grants) == {
        "logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:GetObjectVersion",
        "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "secretsmanager:GetSecretValue", "sqs:SendMessage",
        "kms:Decrypt",
    }


def test_health_role_reads_only_the_transcription_secret(main):
    grants = allowed(main, "HealthCheckFunctionRole")
    assert set(grants) == {"logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "kms:Decrypt"}
    assert grants["secretsmanager:GetSecretValue"] == list(branches(SECRET))


def test_only_the_rotation_role_can_read_the_admin_secret(main):
    for role in ("TranscribeFunctionRole", "HealthCheckFunctionRole", "KeyRotationFunctionRole"):
        reads = allowed(main, role).get("secretsmanager:GetSecretValue", [])
        assert ({"Ref": "DeepgramAdminSecret"} in reads) == (role == "KeyRotationFunctionRole"), role

    policy = main["Resources"]["DeepgramAdminSecretPolicy"]["Properties"]
    (deny,) = policy["ResourcePolicy"]["Statement"]
    assert deny["Effect"] == "Deny" and deny["Action"] == "secretsmanager:GetSecretValue"
    assert deny["Condition"]["StringNotEquals"]["aws:PrincipalArn"] == {"Fn::GetAtt": ["KeyRotationFunctionRole", "Arn"]}


def test_logs_are_written_only_to_the_functions_own_log_groups(main):
    # The callback sweep runs the transcription code under the transcription role.
    for role, groups in (("TranscribeFunctionRole", ["TranscribeLogGroup", "CallbackSweepLogGroup"]),
                         ("HealthCheckFunctionRole", ["HealthCheckLogGroup"]),
                         ("KeyRotationFunctionRole", ["KeyRotationLogGroup"])):
        grants = allowed(main, role)
        assert grants["logs:PutLogEvents"] == [{"Fn::GetAtt": [group, "Arn"]} for group in groups]
        assert "logs:CreateLogGroup" not in grants


def test_functions_bring_their_own_roles_so_sam_generates_none(main):
    for logical_id, resource in main["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            props = resource["Properties"]
            assert "Role" in props and "Policies" not in props, logical_id


IAM_TYPES = {"AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::ManagedPolicy"}


def test_sam_transform_adds_no_iam_permissions(main, transformed_main):
    output = transformed_main
    before = {k: r for k, r in main["Resources"].items() if r["Type"] in IAM_TYPES}
    after = {k: r for k, r in output["Resources"].items() if r["Type"] in IAM_TYPES}
    assert set(after) == set(before)
    for logical_id, resource in after.items():
        assert "ManagedPolicyArns" not in resource["Properties"], logical_id


def test_only_the_intended_lambda_permissions_exist_after_the_transform(transformed_main):
    output = transformed_main
    permissions = {
        logical_id: (r["Properties"]["Principal"], r["Properties"]["Action"], r.get("Condition"))
        for logical_id, r in output["Resources"].items()
        if r["Type"] == "AWS::Lambda::Permission"
    }
    principals = sorted((p, a, c) for p, a, c in permissions.values())
    assert principals == sorted([
        ("*", "lambda:InvokeFunction", "PublicHealthUrl"),
        ("*", "lambda:InvokeFunctionUrl", "PublicHealthUrl"),
        ("events.amazonaws.com", "lambda:InvokeFunction", None),
        ("events.amazonaws.com", "lambda:InvokeFunction", None),
        ("s3.amazonaws.com", "lambda:InvokeFunction", None),
        ("s3.amazonaws.com", "lambda:InvokeFunction", None),
        ("secretsmanager.amazonaws.com", "lambda:InvokeFunction", "RotationEnabled"),
    ])
    for logical_id, (principal, _, _) in permissions.items():
        props = output["Resources"][logical_id]["Properties"]
        if principal == "s3.amazonaws.com":
            # SAM scopes the S3 permission to the account only: a SourceArn naming the bucket
            # would be a cycle, since the bucket's notification must wait for this permission.
            assert is_ref(props["SourceAccount"], "AWS::AccountId"), logical_id
        elif principal != "*":
            assert "SourceArn" in props, f"{logical_id}: a service may invoke only for our resource"


def test_health_url_is_public_only_when_asked(main):
    url = main["Resources"]["HealthCheckFunction"]["Properties"]["FunctionUrlConfig"]
    assert is_ref(url["AuthType"], "HealthUrlAuthType")
    assert main["Parameters"]["HealthUrlAuthType"]["Default"] == "AWS_IAM"
    assert main["Conditions"]["PublicHealthUrl"] == {"Fn::Equals": [{"Ref": "HealthUrlAuthType"}, "NONE"]}
    public = [r for r in main["Resources"].values()
              if r["Type"] == "AWS::Lambda::Permission" and r["Properties"].get("Principal") == "*"]
    assert len(public) == 2 and all(r["Condition"] == "PublicHealthUrl" for r in public)
    assert sorted(main["Parameters"]["HealthUrlAuthType"]["AllowedValues"]) == ["AWS_IAM", "NONE"]


SECRET_KMS_KEY = {"Ref": "ExistingSecretKmsKeyArn"}


def test_a_customer_managed_secret_key_is_decryptable_by_every_reader_only_through_secrets_manager(main):
    # Issue 10, item 10: an ExistingSecretArn encrypted with a customer-managed key failed at run time.
    assert main["Conditions"]["SecretHasKmsKey"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExistingSecretKmsKeyArn"}, ""]}]}
    readers = {"TranscribeFunctionRole": ["kms:Decrypt"], "HealthCheckFunctionRole": ["kms:Decrypt"],
               "KeyRotationFunctionRole": ["kms:Decrypt", "kms:GenerateDataKey"]}
    for role, actions in readers.items():
        grants = allowed(main, role)
        kms = {action: resources for action, resources in grants.items() if action.startswith("kms:")}
        assert kms == {action: [SECRET_KMS_KEY] for action in actions}, role
        (statement,) = [s for logical_id, s in statements(main)
                        if logical_id == role and any(a.startswith("kms:") for a in as_list(s["Action"]))]
        assert statement["Condition"]["StringEquals"]["kms:ViaService"] == {
            "Fn::Sub": "secretsmanager.${AWS::Region}.amazonaws.com"}, role
    assert main["Rules"]["KmsKeyOnlyWithAnExistingSecret"]["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ExistingSecretArn"}, ""]}]}
