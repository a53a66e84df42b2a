"""Every alarm that notifies does so to the right topic when it fires and when it recovers; the SLO
window alarms, inputs of the burn-rate composites, notify nobody. Every alarm points to a runbook
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
    "SloFastBurnAlarm": "critical",
    "SloSlowBurnAlarm": "warning",
}
# Inputs of the burn-rate composite alarms: a window alone proves too little to notify anyone.
SIGNALS = {
    "SloFastBurnLongWindowAlarm",
    "SloFastBurnShortWindowAlarm",
    "SloSlowBurnLongWindowAlarm",
    "SloSlowBurnShortWindowAlarm",
}
TOPIC_PARAMETER = {"critical": "CriticalTopicArn", "warning": "WarningTopicArn"}


def test_every_alarm_has_a_declared_severity_or_is_a_signal(every_alarm):
    assert set(every_alarm) == set(SEVERITY) | SIGNALS
    assert not set(SEVERITY) & SIGNALS


@pytest.mark.parametrize("logical_id", sorted(SEVERITY))
def test_alarm_notifies_its_severitys_topic_on_alarm_and_on_ok(every_alarm, logical_id):
    props = every_alarm[logical_id]["Properties"]
    topic = TOPIC_PARAMETER[SEVERITY[logical_id]]
    for actions in ("AlarmActions", "OKActions"):
        assert len(props[actions]) == 1, f"{logical_id} {actions}"
        assert is_ref(props[actions][0], topic), f"{logical_id} {actions} must go to {topic}"
    assert props.get("ActionsEnabled", True) is True
    assert "InsufficientDataActions" not in props


@pytest.mark.parametrize("logical_id", sorted(SIGNALS))
def test_signal_alarm_notifies_nobody(every_alarm, logical_id):
    props = every_alarm[logical_id]["Properties"]
    for actions in ("AlarmActions", "OKActions", "InsufficientDataActions"):
        assert actions not in props, f"{logical_id} must leave notifying to its composite alarm"


@pytest.mark.parametrize("logical_id", sorted(SEVERITY) + sorted(SIGNALS))
def test_alarm_description_states_its_severity(every_alarm, logical_id):
    description = every_alarm[logical_id]["Properties"]["AlarmDescription"]["Fn::Sub"]
    assert description.startswith(SEVERITY.get(logical_id, "signal").upper() + ":")


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


@pytest.mark.parametrize("logical_id", sorted(SEVERITY) + sorted(SIGNALS))
def test_alarm_links_to_a_runbook_section_that_says_what_to_do(every_alarm, logical_id):
    sections = runbook_sections()
    anchor = runbook_anchor(every_alarm[logical_id])
    assert anchor in sections, f"alarms/README.md has no section #{anchor}"
    for part in ("**What it means**", "**Check first**", "**Fix**"):
        assert part in sections[anchor], f"#{anchor} lacks {part}"


def test_each_alarm_has_its_own_runbook_section(every_alarm):
    anchors = [runbook_anchor(alarm) for alarm in every_alarm.values()]
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


def test_alarm_names_are_unique_per_stack(every_alarm):
    names = [alarm["Properties"]["AlarmName"]["Fn::Sub"] for alarm in every_alarm.values()]
    assert all(name.startswith("${ServiceName}-") for name in names)
    assert len(names) == len(set(names))
