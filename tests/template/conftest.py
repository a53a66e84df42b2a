"""Loads the SAM templates the way cfn-lint reads them (short-form tags such as !Ref become
{"Ref": ...}) and offers the few helpers the template tests share."""

import copy
import json
import os
import re
from pathlib import Path

import pytest
from cfnlint.decode import decode

ROOT = Path(__file__).resolve().parents[2]
MAIN_TEMPLATE = ROOT / "template.yaml"
ALARMS_TEMPLATE = ROOT / "alarms" / "template.yaml"
METRIC_NAMES_JAVA = ROOT / "functions/core/src/main/java/dev/deepgramlambda/metrics/MetricNames.java"
SETTINGS_JAVA = ROOT / "functions/core/src/main/java/dev/deepgramlambda/config/Settings.java"
RUNBOOK = ROOT / "alarms" / "README.md"


def load_template(path):
    template, matches = decode(str(path))
    assert not matches, f"{path} does not parse: {matches}"
    return template


@pytest.fixture(scope="session")
def main():
    return load_template(MAIN_TEMPLATE)


@pytest.fixture(scope="session")
def transformed_main(main):
    """The main template after the SAM transform (offline, as `sam validate` does), as CloudFormation
    would receive it. The functions bring their own roles, so no managed-policy list is needed."""
    from samtranslator.translator.transform import transform

    class NoManagedPolicies:
        def load(self):
            return {}

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    fragment = copy.deepcopy(main)
    # What `sam package` does before the transform: code and nested templates become S3 locations.
    fragment["Globals"]["Function"]["CodeUri"] = "s3://artifacts/function.zip"
    for resource in fragment["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Application":
            resource["Properties"]["Location"] = "https://s3.amazonaws.com/artifacts/alarms.yaml"
    return transform(fragment, {}, NoManagedPolicies())


@pytest.fixture(scope="session")
def alarms_template():
    return load_template(ALARMS_TEMPLATE)


@pytest.fixture(scope="session")
def alarms(alarms_template):
    """Every CloudWatch alarm of the nested alarms template, by logical id."""
    return resources_of_type(alarms_template, "AWS::CloudWatch::Alarm")


@pytest.fixture(scope="session")
def every_alarm(alarms_template):
    """Metric and composite alarms of the nested alarms template, by logical id."""
    return {**resources_of_type(alarms_template, "AWS::CloudWatch::Alarm"),
            **resources_of_type(alarms_template, "AWS::CloudWatch::CompositeAlarm")}


def resources_of_type(template, resource_type):
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == resource_type
    }


def find_in_map(template, value):
    """Resolves a !FindInMap to its mapping value; anything else is returned as is."""
    if isinstance(value, dict) and "Fn::FindInMap" in value:
        mapping, top, second = value["Fn::FindInMap"]
        return template["Mappings"][mapping][top][second]
    return value


def number(template, value):
    return float(find_in_map(template, value))


def is_ref(value, name):
    return isinstance(value, dict) and value.get("Ref") == name


def render_sub(sub, placeholders):
    """Renders an Fn::Sub (string or [string, variables]) with the given placeholder values for
    parameters, pseudo parameters and GetAtt references; variables in the Sub's own map are
    resolved through placeholders too when they are intrinsic."""
    if isinstance(sub, list):
        text, variables = sub
    else:
        text, variables = sub, {}

    def replace(match):
        name = match.group(1)
        if name in variables:
            value = variables[name]
            return str(placeholders(value) if isinstance(value, dict) else value)
        return str(placeholders(name))

    return re.sub(r"\$\{([^}!][^}]*)\}", replace, text)


def java_string_constants(path):
    """public static final String NAME = "value"; constants of a Java source file."""
    source = path.read_text(encoding="utf-8")
    return dict(re.findall(r'public\s+static\s+final\s+String\s+(\w+)\s*=\s*"([^"]*)"\s*;', source))


def java_settings():
    """Settings.java's definitions, `public static final Setting<...> NAME = Setting.kind("VARIABLE", ...)`:
    constant name to the environment variable it reads."""
    source = SETTINGS_JAVA.read_text(encoding="utf-8")
    return dict(re.findall(r'public\s+static\s+final\s+Setting<[^=]*>\s+(\w+)\s*=\s*Setting\.\w+\(\s*"([A-Z][A-Z0-9_]*)"',
                           source))


def java_enum_values(path, enum_name):
    """The string argument of each constant of `enum enum_name { A("a"), B("b"); ... }`."""
    source = path.read_text(encoding="utf-8")
    body = re.search(r"enum\s+" + enum_name + r"\s*\{(.*?);", source, re.S)
    assert body, f"enum {enum_name} not found in {path}"
    return re.findall(r'\w+\s*\(\s*"([^"]*)"\s*\)', body.group(1))


def dashboard_body(alarms_template):
    """The dashboard JSON with thresholds from the mapping and placeholder names elsewhere."""
    dashboard = resources_of_type(alarms_template, "AWS::CloudWatch::Dashboard")
    assert len(dashboard) == 1
    (resource,) = dashboard.values()
    text, variables = resource["Properties"]["DashboardBody"]["Fn::Sub"]
    resolved = {name: find_in_map(alarms_template, value) for name, value in variables.items()}
    return json.loads(render_sub([text, resolved], lambda name: f"placeholder-{name}"))
