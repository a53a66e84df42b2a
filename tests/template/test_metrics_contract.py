"""The alarms and the dashboard read exactly the metrics the functions emit. The single source of
truth is functions/core/.../metrics/MetricNames.java; its constants are parsed here and compared."""

import pytest

from conftest import (
    METRIC_NAMES_JAVA,
    dashboard_body,
    is_ref,
    java_enum_values,
    java_settings,
    java_string_constants,
)

CONSTANTS = java_string_constants(METRIC_NAMES_JAVA)
NAMESPACE = CONSTANTS["DEFAULT_NAMESPACE"]
SERVICE = CONSTANTS["SERVICE"]
STATUS = CONSTANTS["STATUS"]
METRICS = {value for name, value in CONSTANTS.items() if name not in ("DEFAULT_NAMESPACE", "SERVICE", "STATUS")}
STATUSES = set(java_enum_values(METRIC_NAMES_JAVA, "Status"))

# MetricsPublisher.publish emits every metric under [Service]; publishOutcome emits Transcriptions
# under [Service] and [Service, Status].
EMITTED_DIMENSION_SETS = {metric: [(SERVICE,)] for metric in METRICS}
EMITTED_DIMENSION_SETS[CONSTANTS["TRANSCRIPTIONS"]] = [(SERVICE,), (SERVICE, STATUS)]


def test_the_contract_file_parses_into_the_documented_metrics():
    # Guards the parser: an empty parse would make every other test here pass vacuously.
    assert {"Transcriptions", "TranscriptionLatency", "RateLimitHits", "HealthCheck", "ApiKeyDaysToExpiry"} <= METRICS
    assert STATUSES == {"success", "failure", "skipped", "submitted", "queued"}


def metrics_of(alarm_props):
    """(namespace, metric, dimensions) of each metric an alarm reads, metric math included."""
    if "MetricName" in alarm_props:
        return [(alarm_props["Namespace"], alarm_props["MetricName"], alarm_props.get("Dimensions", []))]
    return [
        (stat["Metric"]["Namespace"], stat["Metric"]["MetricName"], stat["Metric"].get("Dimensions", []))
        for stat in (q["MetricStat"] for q in alarm_props["Metrics"] if "MetricStat" in q)
    ]


def custom_metrics_of(alarm_props):
    """(metric, dimensions) of the metrics an alarm reads from the functions' namespace."""
    return [(name, dims) for namespace, name, dims in metrics_of(alarm_props) if is_ref(namespace, "MetricsNamespace")]


def test_alarms_use_only_metric_names_the_functions_emit(alarms):
    used = set()
    for logical_id, alarm in alarms.items():
        for namespace, name, _ in metrics_of(alarm["Properties"]):
            if is_ref(namespace, "MetricsNamespace"):
                assert name in METRICS, f"{logical_id} watches {name}, which no function emits"
                used.add(name)
            else:
                assert namespace.startswith("AWS/"), f"{logical_id}: custom metrics must use the MetricsNamespace parameter"
    assert {"Transcriptions", "TranscriptionLatency", "RateLimitHits", "HealthCheck", "ApiKeyDaysToExpiry"} <= used


@pytest.mark.parametrize("logical_id", ["ErrorRateAlarm", "LatencyAlarm", "RateLimitAlarm", "HealthAlarm",
                                        "ApiKeyExpiryWarningAlarm", "ApiKeyExpiryCriticalAlarm",
                                        "FallbackKeyUsedAlarm", "SloFastBurnLongWindowAlarm",
                                        "SloFastBurnShortWindowAlarm", "SloSlowBurnLongWindowAlarm",
                                        "SloSlowBurnShortWindowAlarm"])
def test_alarm_dimensions_are_a_set_the_metric_is_emitted_with(alarms, logical_id):
    for name, dimensions in custom_metrics_of(alarms[logical_id]["Properties"]):
        names = tuple(d["Name"] for d in dimensions)
        assert names in EMITTED_DIMENSION_SETS[name], f"{logical_id}: {name} is not emitted with {names}"
        values = {d["Name"]: d["Value"] for d in dimensions}
        assert is_ref(values[SERVICE], "ServiceName")
        if STATUS in values:
            assert values[STATUS] in STATUSES


def test_error_rate_counts_success_and_failure_only(alarms):
    statuses = {
        d["Value"]
        for name, dims in custom_metrics_of(alarms["ErrorRateAlarm"]["Properties"])
        for d in dims
        if d["Name"] == STATUS
    }
    assert statuses == {"success", "failure"}


def test_namespace_defaults_match_the_functions_default(main, alarms_template):
    assert main["Parameters"]["MetricsNamespace"]["Default"] == NAMESPACE
    assert alarms_template["Parameters"]["MetricsNamespace"]["Default"] == NAMESPACE


def test_functions_and_alarms_get_the_same_namespace_and_service(main):
    settings = java_settings()
    env = main["Globals"]["Function"]["Environment"]["Variables"]
    assert is_ref(env[settings["METRICS_NAMESPACE"]], "MetricsNamespace")
    assert is_ref(env[settings["SERVICE_NAME"]], "AWS::StackName")

    nested = main["Resources"]["Alarms"]["Properties"]["Parameters"]
    assert is_ref(nested["MetricsNamespace"], "MetricsNamespace")
    assert is_ref(nested["ServiceName"], "AWS::StackName")


def expanded_dashboard_metrics(widget):
    """Expands CloudWatch's metric-array shorthand ('...' and '.') into full metric arrays."""
    expanded = []
    previous = []
    for entry in widget["properties"].get("metrics", []):
        fields = [f for f in entry if not isinstance(f, dict)]
        if not fields:  # an expression
            continue
        if fields[0] == "...":
            fields = previous[: len(previous) - (len(fields) - 1)] + fields[1:]
        else:
            fields = [previous[i] if f == "." else f for i, f in enumerate(fields)]
        expanded.append(fields)
        previous = fields
    return expanded


def test_dashboard_reads_only_emitted_metrics_with_emitted_dimensions(alarms_template):
    seen = set()
    for widget in dashboard_body(alarms_template)["widgets"]:
        if widget["type"] != "metric":
            continue
        for metric in expanded_dashboard_metrics(widget):
            namespace, name, *dimension_pairs = metric
            if namespace.startswith("AWS/"):
                continue
            assert namespace == "placeholder-MetricsNamespace"
            assert name in METRICS, f"dashboard shows {name}, which no function emits"
            dimensions = dict(zip(dimension_pairs[::2], dimension_pairs[1::2]))
            assert tuple(dimensions) in EMITTED_DIMENSION_SETS[name]
            assert dimensions[SERVICE] == "placeholder-ServiceName"
            if STATUS in dimensions:
                assert dimensions[STATUS] in STATUSES
            seen.add(name)
    # Everything the functions emit is on the dashboard.
    assert seen == METRICS
