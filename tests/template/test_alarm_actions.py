"""Every alarm notifies the right topic when it fires and when it recovers, and points to a runbook
section that exists."""

import re

import pytest

from conftest import RUNBOOK, is_ref

# The severity of each alarm is part of the design: critical pages on-call, warning does not.
SEVERITY = {
    "ErrorRateAlarm": "critical",
    "HealthAlarm": "critical",
    "FailureQueueAlarm": "critical",
    "ApiKeyExpiryCriticalAlarm": "critical",
    "LatencyAlarm": "warning",
    "RateLimitAlarm": "warning",
    "ApiKeyExpiryWarningAlarm": "warning",
    "FallbackKeyUsedAlarm": "warning",
    "CallbackTimeoutsAlarm": "warning",
    "AdmissionWaitAlarm": "warning",
    "KeyRotationFailedAlarm": "warning",
    "OldKeyRetirementFailedAlarm": "warning",
    "TranscribeErrorsAlarm": "warning",
    "TranscribeThrottlesAlarm": "warning",
    "HealthCheckErrorsAlarm": "warning",
    "HealthCheckThrottlesAlarm": "warning",
    "KeyRotationThrottlesAlarm": "warning",
}
TOPIC_PARAMETER = {"critical": "CriticalTopicArn", "warning": "WarningTopicArn"}


def test_every_alarm_has_a_declared_severity(alarms):
    assert set(alarms) == set(SEVERITY)


@pytest.mark.parametrize("logical_id", sorted(SEVERITY))
def test_alarm_notifies_its_severitys_topic_on_alarm_and_on_ok(alarms, logical_id):
    props = alarms[logical_id]["Properties"]
    topic = TOPIC_PARAMETER[SEVERITY[logical_id]]
    for actions in ("AlarmActions", "OKActions"):
        assert len(props[actions]) == 1, f"{logical_id} {actions}"
        assert is_ref(props[actions][0], topic), f"{logical_id} {actions} must go to {topic}"
    assert props.get("ActionsEnabled", True) is True
    assert "InsufficientDataActions" not in props


@pytest.mark.parametrize("logical_id", sorted(SEVERITY))
def test_alarm_description_states_its_severity(alarms, logical_id):
    description = alarms[logical_id]["Properties"]["AlarmDescription"]["Fn::Sub"]
    assert description.startswith(SEVERITY[logical_id].upper() + ":")


def test_parent_stack_passes_each_topic_to_the_matching_parameter(main):
    parameters = main["Resources"]["Alarms"]["Properties"]["Parameters"]
    assert is_ref(parameters["CriticalTopicArn"], "CriticalTopic")
    assert is_ref(parameters["WarningTopicArn"], "WarningTopic")


def github_anchor(heading):
    """The anchor GitHub (and most Markdown renderers) give a heading."""
    anchor = heading.strip().lower()
    anchor = re.sub(r"[^\w\- ]", "", anchor)
    return anchor.replace(" ", "-")


def runbook_sections():
    """Runbook sections by anchor: the text under each `## ` heading."""
    sections = {}
    current = None
    for line in RUNBOOK.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = github_anchor(line[3:])
            sections[current] = []
        elif current:
            sections[current].append(line)
    return {anchor: "\n".join(lines) for anchor, lines in sections.items()}


def runbook_anchor(alarm):
    description = alarm["Properties"]["AlarmDescription"]["Fn::Sub"]
    match = re.search(r"Runbook: \$\{RunbookUrl\}#([\w-]+)$", description.strip())
    assert match, f"description must end with 'Runbook: ${{RunbookUrl}}#anchor': {description}"
    return match.group(1)


@pytest.mark.parametrize("logical_id", sorted(SEVERITY))
def test_alarm_links_to_a_runbook_section_that_says_what_to_do(alarms, logical_id):
    sections = runbook_sections()
    anchor = runbook_anchor(alarms[logical_id])
    assert anchor in sections, f"alarms/README.md has no section #{anchor}"
    for part in ("**What it means**", "**Check first**", "**Fix**"):
        assert part in sections[anchor], f"#{anchor} lacks {part}"


def test_each_alarm_has_its_own_runbook_section(alarms):
    anchors = [runbook_anchor(alarm) for alarm in alarms.values()]
    assert len(anchors) == len(set(anchors))


def test_the_checklists_error_table_is_covered_by_the_runbook():
    """Key expired, high error rate, rate limiting, health check failure: each has a section."""
    anchors = set(runbook_sections())
    assert {
        "api-key-expiring-critical",
        "transcription-error-rate-critical",
        "deepgram-rate-limits-warning",
        "health-check-failing-critical",
    } <= anchors


def test_alarm_names_are_unique_per_stack(alarms):
    names = [alarm["Properties"]["AlarmName"]["Fn::Sub"] for alarm in alarms.values()]
    assert all(name.startswith("${ServiceName}-") for name in names)
    assert len(names) == len(set(names))
