"""The availability SLO and its burn-rate alarms: which events count, the windows and multipliers,
thresholds that follow SloTargetPercent, the minimum-traffic guard, CloudWatch's limits, the
composite alarms, the native Application Signals SLO and the dashboard widgets. Expressions are
read from the template and evaluated through metric_math, never retyped here."""

import json

import pytest

from conftest import find_in_map, is_ref, number, render_sub, resources_of_type
from metric_math import MetricMathAlarm, composite_members, evaluate, parse, referenced_ids, resolve_text

# The SRE workbook's pairs: (composite, long window alarm, short window alarm, seconds, multiplier).
PAIRS = {
    "SloFastBurnAlarm": ("SloFastBurnLongWindowAlarm", 3600, "SloFastBurnShortWindowAlarm", 300, 14.4),
    "SloSlowBurnAlarm": ("SloSlowBurnLongWindowAlarm", 21600, "SloSlowBurnShortWindowAlarm", 1800, 6),
}
WINDOWS = {alarm: seconds for long, ls, short, ss, _ in PAIRS.values() for alarm, seconds in ((long, ls), (short, ss))}
MULTIPLIER = {alarm: pair[4] for pair in PAIRS.values() for alarm in (pair[0], pair[2])}
BUDGET_SECONDS = 30 * 24 * 3600
OBJECTIVES = (95, 99, 99.5, 99.9, 99.99)


def test_objective_is_a_parameter_of_both_stacks_defaulting_to_99_5(main, alarms_template):
    for template in (main, alarms_template):
        parameter = template["Parameters"]["SloTargetPercent"]
        assert parameter["Type"] == "Number" and parameter["Default"] == 99.5
        # 100 leaves no budget to divide by; below 95 a 14.4x burn would need more than 100 % failures.
        assert (parameter["MinValue"], parameter["MaxValue"]) == (95, 99.99)
    assert is_ref(main["Resources"]["Alarms"]["Properties"]["Parameters"]["SloTargetPercent"], "SloTargetPercent")


@pytest.mark.parametrize("logical_id", sorted(WINDOWS))
def test_window_alarm_sums_success_and_failure_of_transcriptions_over_its_window(alarms_template, alarms, logical_id):
    props = alarms[logical_id]["Properties"]
    stats = {q["Id"]: q["MetricStat"] for q in props["Metrics"] if "MetricStat" in q}
    assert set(stats) == {"success", "failure"}
    for status, stat in stats.items():
        metric = stat["Metric"]
        assert is_ref(metric["Namespace"], "MetricsNamespace") and metric["MetricName"] == "Transcriptions"
        dimensions = {d["Name"]: d["Value"] for d in metric["Dimensions"]}
        assert is_ref(dimensions.pop("Service"), "ServiceName")
        assert dimensions == {"Status": status}, "skipped records are neither good nor bad"
        assert stat["Stat"] == "Sum"
        assert number(alarms_template, stat["Period"]) == WINDOWS[logical_id]
    assert props["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert number(alarms_template, props["Threshold"]) == MULTIPLIER[logical_id]
    assert props["EvaluationPeriods"] == 1 and props["DatapointsToAlarm"] == 1
    assert props["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize("logical_id", sorted(WINDOWS))
def test_window_alarm_respects_cloudwatch_limits(alarms_template, alarms, logical_id):
    props = alarms[logical_id]["Properties"]
    periods = {number(alarms_template, q["MetricStat"]["Period"]) for q in props["Metrics"] if "MetricStat" in q}
    assert len(periods) == 1, "one period per metric-math alarm"
    (period,) = periods
    assert period % 60 == 0
    # PutMetricAlarm: Period x EvaluationPeriods at most 1 day below an hour's period, else 7 days.
    assert period * props["EvaluationPeriods"] <= (86400 if period < 3600 else 604800)
    # At most 10 metrics and 20 queries per metric-math alarm.
    assert len(props["Metrics"]) <= 20 and sum("MetricStat" in q for q in props["Metrics"]) <= 10
    defined = set()
    for query in props["Metrics"]:
        if "Expression" in query:
            tree = parse(resolve_text(alarms_template, query["Expression"], {}))
            assert referenced_ids(tree) <= defined, f"{query['Id']} reads a query not defined before it"
        defined.add(query["Id"])
    assert [q["Id"] for q in props["Metrics"] if q.get("ReturnData", True)] == ["burnRate"]


def test_pairs_spend_2_and_5_percent_of_a_30_day_budget(alarms_template):
    for composite, spent in (("SloFastBurnAlarm", 0.02), ("SloSlowBurnAlarm", 0.05)):
        long_window = MetricMathAlarm.from_template(alarms_template, PAIRS[composite][0])
        assert long_window.threshold * long_window.period_minutes * 60 / BUDGET_SECONDS == pytest.approx(spent)
    assert find_in_map(alarms_template, {"Fn::FindInMap": ["Slo", "Budget", "WindowDays"]}) == "30"


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("logical_id", sorted(WINDOWS))
def test_burn_rate_is_the_failure_ratio_over_the_budget_of_the_deployed_objective(alarms_template, objective, logical_id):
    alarm = MetricMathAlarm.from_template(alarms_template, logical_id, {"SloTargetPercent": objective})
    budget = (100 - objective) / 100
    # Enough files that the guard of the long windows is open at every objective.
    files = 100_000
    for failed in (50, 500, 5000):
        assert alarm.value({"success": files - failed, "failure": failed}) == pytest.approx(failed / files / budget)
    assert alarm.value({"success": files, "failure": None}) == 0
    assert alarm.value({"success": None, "failure": None}) == 0, "no files is no burn"
    assert alarm.threshold == MULTIPLIER[logical_id], "the threshold is the multiplier, whatever the objective"


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("logical_id", ["SloFastBurnLongWindowAlarm", "SloSlowBurnLongWindowAlarm"])
def test_long_window_guard_no_single_failure_crosses_the_threshold(alarms_template, objective, logical_id):
    """The minimum-traffic guard: with any number of files, one failure alone never alarms a long
    window, while two failures do as soon as they are above the multiplier's share."""
    alarm = MetricMathAlarm.from_template(alarms_template, logical_id, {"SloTargetPercent": objective})
    budget = (100 - objective) / 100
    for files in range(1, 20_000):
        assert not alarm.in_alarm({"success": files - 1, "failure": 1}), f"{files} files, 1 failure"
    smallest_window = next(files for files in range(2, 20_000) if alarm.in_alarm({"success": files - 2, "failure": 2}))
    assert smallest_window * budget * alarm.threshold > 1, "guard opens only where one failure stays under"
    assert 2 / smallest_window >= alarm.threshold * budget


@pytest.mark.parametrize("logical_id", ["SloFastBurnShortWindowAlarm", "SloSlowBurnShortWindowAlarm"])
def test_short_window_burns_on_any_failure_share_above_the_multiplier(alarms_template, logical_id):
    """Short windows only confirm that the burn is still going on; their pair's long window decides
    whether there were enough files."""
    alarm = MetricMathAlarm.from_template(alarms_template, logical_id)
    assert alarm.in_alarm({"success": None, "failure": 1})
    assert not alarm.in_alarm({"success": 1000, "failure": 1})


@pytest.mark.parametrize("composite", sorted(PAIRS))
def test_composite_fires_only_when_both_windows_of_its_pair_burn(alarms_template, composite):
    long_window, _, short_window, _, _ = PAIRS[composite]
    assert composite_members(alarms_template, composite) == [long_window, short_window]


def test_fast_burn_page_is_held_back_while_the_health_canary_pages(alarms_template):
    props = alarms_template["Resources"]["SloFastBurnAlarm"]["Properties"]
    assert props["ActionsSuppressor"] == {"Fn::GetAtt": ["HealthAlarm", "Arn"]}
    wait = number(alarms_template, props["ActionsSuppressorWaitPeriod"])
    extension = number(alarms_template, props["ActionsSuppressorExtensionPeriod"])
    # The canary pages after 2 one-minute periods: wait that long plus a minute of metric delay.
    assert wait >= 180
    # After the canary recovers, the short window must have had time to clear before the page goes out.
    assert extension > WINDOWS["SloFastBurnShortWindowAlarm"]
    assert "ActionsSuppressor" not in alarms_template["Resources"]["SloSlowBurnAlarm"]["Properties"]


@pytest.fixture(scope="module")
def slo(alarms_template):
    (resource,) = resources_of_type(alarms_template, "AWS::ApplicationSignals::ServiceLevelObjective").values()
    return resource["Properties"]


def statuses(queries):
    return [{d["Name"]: d["Value"] for d in q["MetricStat"]["Metric"]["Dimensions"]}["Status"]
            for q in queries if "MetricStat" in q]


def test_native_slo_counts_the_same_events_against_the_same_objective(alarms_template, slo):
    metric = slo["RequestBasedSli"]["RequestBasedSliMetric"]
    total, bad = metric["TotalRequestCountMetric"], metric["MonitoredRequestCountMetric"]["BadCountMetric"]
    assert sorted(statuses(total)) == ["failure", "success"] and statuses(bad) == ["failure"]
    (returned,) = [q for q in total if q.get("ReturnData", True)]
    assert referenced_ids(parse(returned["Expression"])) == {"success", "failure"}
    assert evaluate(parse(returned["Expression"]), {"success": None, "failure": 3}) == 3

    assert is_ref(slo["Goal"]["AttainmentGoal"], "SloTargetPercent")
    rolling = slo["Goal"]["Interval"]["RollingInterval"]
    assert rolling["DurationUnit"] == "DAY"
    assert int(find_in_map(alarms_template, rolling["Duration"])) * 86400 == BUDGET_SECONDS
    assert sorted(c["LookBackWindowMinutes"] for c in slo["BurnRateConfigurations"]) == sorted(
        seconds // 60 for seconds in WINDOWS.values())


def slo_widgets(alarms_template, objective):
    """The dashboard's SLO widgets by title, rendered with the given objective."""
    (resource,) = resources_of_type(alarms_template, "AWS::CloudWatch::Dashboard").values()
    text, variables = resource["Properties"]["DashboardBody"]["Fn::Sub"]

    def placeholder(value):
        if isinstance(value, dict):
            return find_in_map(alarms_template, value)
        return str(objective) if value == "SloTargetPercent" else f"placeholder-{value}"

    body = json.loads(render_sub([text, variables], placeholder))
    return {w["properties"]["title"]: w["properties"] for w in body["widgets"]
            if w["type"] == "metric" and ("budget" in w["properties"]["title"].lower())}


def expression(widget, query_id):
    (entry,) = [m[0] for m in widget["metrics"] if isinstance(m[0], dict) and m[0].get("id") == query_id]
    return parse(entry["expression"])


@pytest.mark.parametrize("objective", (99.5, 99.9))
def test_dashboard_shows_budget_remaining_over_30_days_and_the_fast_pairs_burn_rates(alarms_template, objective):
    widgets = slo_widgets(alarms_template, objective)
    remaining = widgets["Error budget remaining, last 30 days (%)"]
    assert remaining["start"] == "-P30D" and remaining["setPeriodToTimeRange"] is True
    budget_remaining = expression(remaining, "budgetRemaining")
    budget = (100 - objective) / 100
    files = 1_000_000
    for spent in (0, 0.25, 0.5, 1, 2):
        failed = round(spent * budget * files)
        assert evaluate(budget_remaining, {"success": files - failed, "failure": failed}) == pytest.approx(100 * (1 - spent), abs=1e-9)

    burn = widgets["Error budget burn rate (x budget)"]
    periods = {m[-1]["id"]: m[-1]["period"] for m in burn["metrics"] if "period" in m[-1]}
    assert periods == {"successShort": 300, "failureShort": 300, "successLong": 3600, "failureLong": 3600}
    for window in ("Short", "Long"):
        assert evaluate(expression(burn, "burn" + window),
                        {"success" + window: files - 1000, "failure" + window: 1000}) == pytest.approx(0.001 / budget)
    assert [a["value"] for a in burn["annotations"]["horizontal"]] == [14.4, 6]


def test_dashboard_lists_the_burn_rate_pages_with_the_other_alarms(alarms_template):
    (resource,) = resources_of_type(alarms_template, "AWS::CloudWatch::Dashboard").values()
    text = resource["Properties"]["DashboardBody"]["Fn::Sub"][0]
    assert '"${SloFastBurnAlarm.Arn}"' in text and '"${SloSlowBurnAlarm.Arn}"' in text
