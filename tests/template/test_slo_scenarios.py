"""The burn-rate alarms on synthetic traffic (slo_scenarios): quiet at normal error rates and at low
traffic with one failure, firing within the designed detection time at 14.4x and 6x, clearing after
recovery; and docs/alerting.md quotes exactly the table these runs produce."""

import pytest

from conftest import ROOT
from slo_scenarios import Alarms, burn_scenario, designed_detection_minutes, outcome, results, table

FAST, SLOW, CHECKLIST = "SloFastBurnAlarm", "SloSlowBurnAlarm", "ErrorRateAlarm"


@pytest.fixture(scope="module")
def by_name(alarms_template):
    return {scenario.name: (scenario, outcomes) for scenario, outcomes in results(alarms_template)}


def test_no_alarm_fires_during_the_warm_up_of_normal_traffic(by_name):
    for name, (_, outcomes) in by_name.items():
        assert not any(o.in_warm_up for o in outcomes.values()), name


@pytest.mark.parametrize("name", ["normal", "elevated, under both burn rates"])
def test_quiet_at_error_rates_the_budget_absorbs(by_name, name):
    _, outcomes = by_name[name]
    assert outcomes[FAST].fired_after is None and outcomes[SLOW].fired_after is None


@pytest.mark.parametrize("name", ["low traffic, one failure", "very low traffic, one failure"])
def test_one_failure_at_low_traffic_pages_the_checklist_alarm_but_not_the_slo(by_name, name):
    _, outcomes = by_name[name]
    assert outcomes[FAST].fired_after is None and outcomes[SLOW].fired_after is None
    # The noise the issue describes, kept as the checklist requires.
    assert outcomes[CHECKLIST].fired_after is not None


@pytest.mark.parametrize("name, fast_fires, slow_fires", [
    ("fast burn at the threshold", True, True),
    ("slow burn at the threshold", False, True),
    ("steady 4 % (the checklist alarm never sees it)", False, True),
    ("outage", True, True),
])
def test_fires_within_the_designed_detection_time(alarms_template, by_name, name, fast_fires, slow_fires):
    scenario, outcomes = by_name[name]
    for composite, fires in ((FAST, fast_fires), (SLOW, slow_fires)):
        designed = designed_detection_minutes(alarms_template, composite, scenario.burn)
        if fires:
            assert outcomes[composite].fired_after is not None, f"{composite} missed {name}"
            assert outcomes[composite].fired_after <= designed, f"{composite} slower than designed on {name}"
        else:
            assert designed is None and outcomes[composite].fired_after is None, f"{composite} fired on {name}"


def test_the_designed_detection_times_are_the_workbooks(alarms_template):
    assert designed_detection_minutes(alarms_template, FAST, 14.4) == 60
    assert designed_detection_minutes(alarms_template, SLOW, 6) == 360
    assert designed_detection_minutes(alarms_template, FAST, 200) == 5
    assert designed_detection_minutes(alarms_template, FAST, 14.3) is None


def test_steady_4_percent_is_seen_by_the_slow_pair_only(by_name):
    _, outcomes = by_name["steady 4 % (the checklist alarm never sees it)"]
    assert outcomes[CHECKLIST].fired_after is None and outcomes[SLOW].fired_after is not None


def test_clears_within_the_short_window_after_recovery(by_name):
    _, outcomes = by_name["outage, then recovery"]
    assert outcomes[FAST].cleared_after is not None and outcomes[FAST].cleared_after <= 5
    assert outcomes[SLOW].cleared_after is not None and outcomes[SLOW].cleared_after <= 30


def test_outage_at_low_traffic_warns_through_the_slow_pair_while_the_guard_holds_the_page(by_name):
    """12 files an hour are fewer than the 1 h window's guard needs: the page comes from the
    checklist alarm (and the canary for a Deepgram outage), the SLO warns."""
    _, outcomes = by_name["outage at low traffic"]
    assert outcomes[FAST].fired_after is None
    assert outcomes[SLOW].fired_after is not None and outcomes[SLOW].fired_after <= 30
    assert outcomes[CHECKLIST].fired_after is not None


def test_thresholds_follow_the_deployed_objective(alarms_template):
    """At 99.9 % the budget is 0.1 %: 1.44 % failures is a 14.4x burn and pages within the hour,
    0.6 % is 6x and leaves the page quiet."""
    alarms = Alarms(alarms_template, {"SloTargetPercent": 99.9})
    fast = burn_scenario("fast at 99.9", "", 14.4, hours=3, budget_percent=0.1, files_per_block=2500)
    slow = burn_scenario("slow at 99.9", "", 6, hours=3, budget_percent=0.1, files_per_block=2500)
    assert outcome(fast, alarms.states(fast)[FAST]).fired_after == 60
    assert outcome(slow, alarms.states(slow)[FAST]).fired_after is None
    # The same 1.44 % at the default 99.5 % is a 2.9x burn: quiet.
    default = Alarms(alarms_template)
    assert outcome(fast, default.states(fast)[FAST]).fired_after is None


def test_docs_quote_the_table_these_scenarios_produce(alarms_template):
    docs = (ROOT / "docs" / "alerting.md").read_text(encoding="utf-8")
    assert table(alarms_template) in docs, "regenerate with: .venv/bin/python tests/template/slo_scenarios.py"
