"""Synthetic per-minute traffic run through the alarms exactly as alarms/template.yaml defines them
(read by metric_math), evaluated once a minute over sliding windows as CloudWatch does by default.

Burn scenarios run at 100 files a minute so that every window holds an exact failure ratio: a burn
of exactly 14.4x is the boundary the SRE workbook's detection times are defined at. Low-traffic
scenarios run at the volumes they are named after. Before each scenario, 6 hours of normal traffic
(0.2 % failures, 0.4x at the default 99.5 % objective) fill the longest window.

`python tests/template/slo_scenarios.py` prints the table that docs/alerting.md quotes; a test
checks that the two agree.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from metric_math import ActionsSuppression, MetricMathAlarm, ThresholdAlarm, composite_members

WARM_UP_MINUTES = 360
BLOCK_MINUTES = 5  # every alarm window is a multiple of this, so block patterns sum exactly


def spread(count, minutes):
    """`count` events spread as evenly as whole numbers allow over `minutes`."""
    return [(i + 1) * count // minutes - i * count // minutes for i in range(minutes)]


def block(files, failures, minutes=BLOCK_MINUTES):
    """`files` attempts per block of `minutes`, `failures` of them failed, both spread evenly:
    a list of (success, failure) per minute."""
    attempts, failed = spread(files, minutes), spread(failures, minutes)
    assert all(f <= a for f, a in zip(failed, attempts)), "too many failures for the block's files"
    return [(a - f, f) for a, f in zip(attempts, failed)]


def repeat(pattern, minutes):
    assert minutes % len(pattern) == 0
    return pattern * (minutes // len(pattern))


def failures_for(burn, budget_percent, files):
    """Failed files among `files` that make a burn of exactly `burn` times the budget."""
    failures = Fraction(str(burn)) * Fraction(str(budget_percent)) / 100 * files
    assert failures.denominator == 1, f"{files} files cannot burn exactly {burn}x"
    return int(failures)


@dataclass(frozen=True)
class Scenario:
    name: str
    traffic: str
    minutes: list  # (success, failure) per minute, warm-up included
    start: int  # first minute of the scenario proper
    recovery: int = None  # first minute of normal traffic again, when the scenario has one
    burn: float = None  # sustained burn rate (x budget) from `start`, for the designed detection time
    canary: list = None  # the health canary's HealthCheck value per minute; None: healthy throughout


def burn_scenario(name, traffic, burn, hours=24, budget_percent=0.5, files_per_block=500, recover_after=None,
                  canary_down=None):
    """`burn` from the start for `hours`, or for `recover_after` minutes; the canary reports
    unhealthy for the first `canary_down` minutes of the scenario."""
    normal = block(files_per_block, failures_for(0.4, budget_percent, files_per_block))
    burning = block(files_per_block, failures_for(burn, budget_percent, files_per_block))
    burn_minutes = hours * 60 if recover_after is None else recover_after
    minutes = repeat(normal, WARM_UP_MINUTES) + repeat(burning, burn_minutes) + repeat(normal, hours * 60 - burn_minutes)
    canary = None
    if canary_down is not None:
        canary = [0.0 if WARM_UP_MINUTES <= m < WARM_UP_MINUTES + canary_down else 1.0 for m in range(len(minutes))]
    recovery = None if recover_after is None else WARM_UP_MINUTES + recover_after
    return Scenario(name, traffic, minutes, WARM_UP_MINUTES, recovery, burn, canary)


def low_traffic_scenario(name, traffic, files_per_hour, failing_minutes, hours=12):
    """`files_per_hour` files, spread over the hour; the files in `failing_minutes` after the
    start fail (all of them from the start when failing_minutes is None)."""
    hour = block(files_per_hour, 0, minutes=60)
    minutes = repeat(hour, WARM_UP_MINUTES + hours * 60)
    end = len(minutes) if failing_minutes is None else WARM_UP_MINUTES + failing_minutes
    for index in range(WARM_UP_MINUTES, end):
        success, failure = minutes[index]
        minutes[index] = (0, success + failure)
    return Scenario(name, traffic, minutes, WARM_UP_MINUTES)


def one_failure_scenario(name, traffic, files_per_hour, hours=12):
    scenario = low_traffic_scenario(name, traffic, files_per_hour, failing_minutes=0, hours=hours)
    first = next(i for i in range(scenario.start, len(scenario.minutes)) if sum(scenario.minutes[i]))
    scenario.minutes[first] = (scenario.minutes[first][0] - 1, scenario.minutes[first][1] + 1)
    return scenario


def scenarios():
    return [
        burn_scenario("normal", "0.2 % of 100 files/min fail (0.4x), 24 h", 0.4),
        burn_scenario("elevated, under both burn rates", "2 % fail (4x), 24 h", 4),
        one_failure_scenario("low traffic, one failure", "3 files per 5 min (36/h), one fails", 36),
        one_failure_scenario("very low traffic, one failure", "12 files/h, one fails", 12),
        burn_scenario("fast burn at the threshold", "7.2 % fail (14.4x)", 14.4),
        burn_scenario("slow burn at the threshold", "3 % fail (6x)", 6),
        burn_scenario("steady 4 % (the checklist alarm never sees it)", "4 % fail (8x)", 8),
        burn_scenario("outage", "every file fails (200x)", 200),
        burn_scenario("outage, then recovery", "every file fails for 1 h, then 0.2 %", 200, recover_after=60),
        burn_scenario("Deepgram outage the canary sees", "every file fails for 1 h; canary unhealthy for that hour",
                      200, recover_after=60, canary_down=60),
        burn_scenario("canary recovers, files keep failing", "every file fails for 90 min; canary unhealthy for the first 30",
                      200, recover_after=90, canary_down=30),
        low_traffic_scenario("outage at low traffic", "12 files/h, every file fails", 12, failing_minutes=None),
    ]


class Alarms:
    """The SLO pairs, the checklist's error-rate alarm and the health alarm that holds back the
    fast-burn page, built from the template."""

    def __init__(self, template, parameters=None):
        self.suppression = ActionsSuppression.from_template(template, "SloFastBurnAlarm")
        self.suppressor = ThresholdAlarm.from_template(template, self.suppression.suppressor)
        self.metric_alarms = {}
        self.pairs = {}
        for composite in ("SloFastBurnAlarm", "SloSlowBurnAlarm"):
            members = composite_members(template, composite)
            self.pairs[composite] = members
            for member in members:
                self.metric_alarms[member] = MetricMathAlarm.from_template(template, member, parameters)
        self.metric_alarms["ErrorRateAlarm"] = MetricMathAlarm.from_template(template, "ErrorRateAlarm", parameters)

    def states(self, scenario):
        """Alarm state (True: ALARM) per minute for the two pairs and the checklist alarm."""
        prefix = {"success": [0], "failure": [0]}
        present = {"success": [0], "failure": [0]}
        for success, failure in scenario.minutes:
            for status, count in (("success", success), ("failure", failure)):
                prefix[status].append(prefix[status][-1] + count)
                present[status].append(present[status][-1] + (1 if count else 0))

        def sums(end, minutes):
            begin = max(0, end - minutes)
            return {status: (prefix[status][end] - prefix[status][begin]
                             if present[status][end] - present[status][begin] else None)
                    for status in prefix}

        states = {name: [] for name in ("SloFastBurnAlarm", "SloSlowBurnAlarm", "ErrorRateAlarm")}
        for minute in range(1, len(scenario.minutes) + 1):
            metric = {logical_id: alarm.in_alarm(sums(minute, alarm.period_minutes))
                      for logical_id, alarm in self.metric_alarms.items()}
            for composite, members in self.pairs.items():
                states[composite].append(all(metric[m] for m in members))
            states["ErrorRateAlarm"].append(metric["ErrorRateAlarm"])
        return states

    def fast_burn_pages(self, scenario, fast_states):
        """Minutes at which the fast-burn page goes out, after the canary's suppression."""
        canary = scenario.canary or [1.0] * len(scenario.minutes)
        return self.suppression.notifications(fast_states, self.suppressor.states(canary))


@dataclass(frozen=True)
class Outcome:
    fired_after: int = None  # minutes from the scenario's start to the first ALARM
    cleared_after: int = None  # minutes from recovery to OK, for scenarios that recover
    in_warm_up: bool = False
    paged_after: int = None  # minutes from the start to the first notification, where suppression applies

    def describe(self):
        if self.fired_after is None:
            return "quiet"
        text = f"fires after {self.fired_after} min"
        if self.cleared_after is not None:
            text += f", clears {self.cleared_after} min after recovery"
        return text

    def describe_page(self):
        return "none" if self.paged_after is None else f"after {self.paged_after} min"


def outcome(scenario, states, pages=None):
    fired = next((i for i in range(scenario.start, len(states)) if states[i]), None)
    cleared = None
    if fired is not None and scenario.recovery is not None:
        cleared = next(i for i in range(scenario.recovery, len(states)) if not states[i]) - scenario.recovery + 1
    paged = next((m - scenario.start + 1 for m in pages or [] if m >= scenario.start), None)
    return Outcome(None if fired is None else fired - scenario.start + 1, cleared, any(states[:scenario.start]), paged)


def designed_detection_minutes(template, composite, burn):
    """The SRE workbook's detection time for a sustained burn: each window must average the
    multiplier, so the slower window takes window * multiplier / burn (None: never)."""
    alarms = [MetricMathAlarm.from_template(template, m) for m in composite_members(template, composite)]
    multiplier = alarms[0].threshold
    if burn < multiplier:
        return None
    return max(math.ceil(alarm.period_minutes * multiplier / burn) for alarm in alarms)


COLUMNS = (("SloFastBurnAlarm", "fast pair (page)"), ("SloSlowBurnAlarm", "slow pair (warning)"),
           ("ErrorRateAlarm", "checklist error rate > 5 %"))


def results(template):
    alarms = Alarms(template)
    computed = []
    for scenario in scenarios():
        states = alarms.states(scenario)
        outcomes = {logical_id: outcome(scenario, s) for logical_id, s in states.items()}
        outcomes["SloFastBurnAlarm"] = outcome(scenario, states["SloFastBurnAlarm"],
                                               alarms.fast_burn_pages(scenario, states["SloFastBurnAlarm"]))
        computed.append((scenario, outcomes))
    return computed


def describe_designed(template, composite, burn):
    minutes = None if burn is None else designed_detection_minutes(template, composite, burn)
    return "-" if minutes is None else f"{minutes} min"


def table(template, computed=None):
    """The markdown table of every scenario's outcome, as docs/alerting.md quotes it."""
    header = (["scenario", "traffic", "designed detection (fast / slow)"] + [title for _, title in COLUMNS]
              + ["fast-burn page sent (canary suppression)"])
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for scenario, outcomes in computed or results(template):
        designed = " / ".join(describe_designed(template, c, scenario.burn) for c in ("SloFastBurnAlarm", "SloSlowBurnAlarm"))
        cells = ([scenario.name, scenario.traffic, designed] + [outcomes[c].describe() for c, _ in COLUMNS]
                 + [outcomes["SloFastBurnAlarm"].describe_page()])
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    from conftest import ALARMS_TEMPLATE, load_template

    print(table(load_template(ALARMS_TEMPLATE)))
