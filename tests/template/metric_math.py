"""CloudWatch metric math as the alarms in alarms/template.yaml use it: a parser for the expression
strings the template holds, an evaluator for one datapoint, and a model of a metric-math alarm and
a composite alarm built from the template itself. The template tests and the burn-rate scenarios
read every expression through this one module, so no test carries its own copy of an expression.

The evaluator follows CloudWatch's rules for the functions used here: a metric without a datapoint
in the period is missing (None); arithmetic on a missing value is missing; division by zero is
missing; FILL(x, v) turns missing into v; IF(c, a, b) takes a where c is non-zero; comparisons give
1 or 0. A missing alarm result counts as the alarm's TreatMissingData says (the burn-rate alarms
say notBreaching).
"""

import re
from dataclasses import dataclass

from conftest import find_in_map, render_sub

TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(>=|<=|==|!=|[-+*/(),<>]))")
FUNCTIONS = {"IF", "FILL"}
COMPARISONS = {">", ">=", "<", "<=", "==", "!="}


class MetricMathError(ValueError):
    pass


def tokenize(expression):
    tokens, position = [], 0
    expression = expression.rstrip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if not match:
            raise MetricMathError(f"cannot read {expression[position:]!r} in {expression!r}")
        number, name, symbol = match.groups()
        tokens.append(("number", float(number)) if number else ("name", name) if name else ("symbol", symbol))
        position = match.end()
    return tokens


class Parser:
    """Recursive descent over comparison > sum > product > unary > call, number, id, (...)."""

    def __init__(self, expression):
        self.expression = expression
        self.tokens = tokenize(expression)
        self.position = 0

    def parse(self):
        tree = self.comparison()
        if self.position != len(self.tokens):
            raise MetricMathError(f"unexpected {self.tokens[self.position][1]!r} in {self.expression!r}")
        return tree

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self, symbol=None):
        token = self.peek()
        if symbol is not None and token != ("symbol", symbol):
            raise MetricMathError(f"expected {symbol!r} in {self.expression!r}")
        self.position += 1
        return token

    def binary(self, operand, operators):
        tree = operand()
        while self.peek()[0] == "symbol" and self.peek()[1] in operators:
            operator = self.take()[1]
            tree = ("op", operator, tree, operand())
        return tree

    def comparison(self):
        return self.binary(self.sum, COMPARISONS)

    def sum(self):
        return self.binary(self.product, {"+", "-"})

    def product(self):
        return self.binary(self.unary, {"*", "/"})

    def unary(self):
        if self.peek() == ("symbol", "-"):
            self.take()
            return ("op", "-", ("number", 0.0), self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "number":
            return ("number", value)
        if kind == "symbol" and value == "(":
            tree = self.comparison()
            self.take(")")
            return tree
        if kind == "name" and self.peek() == ("symbol", "("):
            if value not in FUNCTIONS:
                raise MetricMathError(f"function {value} is not modelled (in {self.expression!r})")
            self.take("(")
            arguments = [self.comparison()]
            while self.peek() == ("symbol", ","):
                self.take()
                arguments.append(self.comparison())
            self.take(")")
            return ("call", value, arguments)
        if kind == "name":
            return ("id", value)
        raise MetricMathError(f"unexpected {value!r} in {self.expression!r}")


def parse(expression):
    return Parser(expression).parse()


def referenced_ids(tree):
    """The query ids an expression reads."""
    kind = tree[0]
    if kind == "id":
        return {tree[1]}
    if kind == "op":
        return referenced_ids(tree[2]) | referenced_ids(tree[3])
    if kind == "call":
        return set().union(*(referenced_ids(argument) for argument in tree[2]))
    return set()


def evaluate(tree, values):
    """One datapoint of the expression; values maps ids to a number or None (no datapoint)."""
    kind = tree[0]
    if kind == "number":
        return tree[1]
    if kind == "id":
        return values[tree[1]]
    if kind == "call":
        name, arguments = tree[1], tree[2]
        if name == "FILL":
            value = evaluate(arguments[0], values)
            return evaluate(arguments[1], values) if value is None else value
        condition = evaluate(arguments[0], values)
        if condition is None:
            return None
        return evaluate(arguments[1] if condition else arguments[2], values)
    operator, left, right = tree[1], evaluate(tree[2], values), evaluate(tree[3], values)
    if left is None or right is None:
        return None
    if operator in COMPARISONS:
        return float({">": left > right, ">=": left >= right, "<": left < right,
                      "<=": left <= right, "==": left == right, "!=": left != right}[operator])
    if operator == "/":
        return left / right if right else None
    return {"+": left + right, "-": left - right, "*": left * right}[operator]


def resolver(template, parameters):
    """Values for an Fn::Sub's placeholders: parameters by name (the given values, else defaults),
    mapping look-ups through Fn::FindInMap."""

    def resolve(value):
        if isinstance(value, dict):
            return find_in_map(template, value)
        if value in parameters:
            return parameters[value]
        return template["Parameters"][value]["Default"]

    return resolve


def resolve_text(template, value, parameters):
    """A template string property as CloudFormation would deploy it with these parameters."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return render_sub(value["Fn::Sub"], resolver(template, parameters))
    return find_in_map(template, value)


def resolve_number(template, value, parameters=None):
    return float(resolve_text(template, value, parameters or {}))


OPERATORS = {
    "GreaterThanThreshold": lambda value, threshold: value > threshold,
    "GreaterThanOrEqualToThreshold": lambda value, threshold: value >= threshold,
    "LessThanThreshold": lambda value, threshold: value < threshold,
    "LessThanOrEqualToThreshold": lambda value, threshold: value <= threshold,
}


@dataclass(frozen=True)
class MetricInput:
    query_id: str
    status: str
    period_seconds: int


@dataclass(frozen=True)
class MetricMathAlarm:
    """A metric-math alarm over Transcriptions by Status, as deployed with given parameters."""

    logical_id: str
    inputs: tuple
    expressions: tuple  # (id, parsed tree) in template order; the last one is the alarm's value
    threshold: float
    breaches: object
    missing_breaches: bool

    @classmethod
    def from_template(cls, template, logical_id, parameters=None):
        parameters = parameters or {}
        props = template["Resources"][logical_id]["Properties"]
        assert props["EvaluationPeriods"] == 1 and props.get("DatapointsToAlarm", 1) == 1, (
            f"{logical_id}: the model evaluates one datapoint per evaluation")
        inputs, expressions = [], []
        for query in props["Metrics"]:
            if "MetricStat" in query:
                stat = query["MetricStat"]
                assert stat["Stat"] == "Sum", f"{logical_id}: the model sums counts"
                dimensions = {d["Name"]: d["Value"] for d in stat["Metric"]["Dimensions"]}
                inputs.append(MetricInput(query["Id"], dimensions["Status"],
                                          int(resolve_number(template, stat["Period"], parameters))))
            else:
                text = resolve_text(template, query["Expression"], parameters)
                expressions.append((query["Id"], parse(text)))
        returned = [q["Id"] for q in props["Metrics"] if q.get("ReturnData", True)]
        assert returned == [expressions[-1][0]], f"{logical_id}: the last expression is the alarm's value"
        missing = props.get("TreatMissingData", "missing")
        assert missing in ("notBreaching", "breaching"), f"{logical_id}: {missing} is not modelled"
        return cls(logical_id, tuple(inputs), tuple(expressions),
                   resolve_number(template, props["Threshold"], parameters),
                   OPERATORS[props["ComparisonOperator"]], missing == "breaching")

    @property
    def period_minutes(self):
        (period,) = {i.period_seconds for i in self.inputs}
        assert period % 60 == 0
        return period // 60

    def value(self, sums):
        """The alarm's datapoint from the window sums by Status (None: no datapoint)."""
        values = {i.query_id: sums.get(i.status) for i in self.inputs}
        for query_id, tree in self.expressions:
            values[query_id] = evaluate(tree, values)
        return values[self.expressions[-1][0]]

    def in_alarm(self, sums):
        value = self.value(sums)
        if value is None:
            return self.missing_breaches
        return self.breaches(value, self.threshold)


ALARM_TERM = re.compile(r'ALARM\("\$\{(\w+)\.Arn\}"\)')


def composite_members(template, logical_id):
    """The metric alarms whose ALARM states a composite alarm's rule ANDs together."""
    rule = template["Resources"][logical_id]["Properties"]["AlarmRule"]["Fn::Sub"]
    members = ALARM_TERM.findall(rule)
    assert rule == " AND ".join(f'ALARM("${{{m}.Arn}}")' for m in members), (
        f"{logical_id}: only an AND of ALARM() terms is modelled: {rule}")
    return members


@dataclass(frozen=True)
class ThresholdAlarm:
    """A single-metric alarm with a one-minute period (the health alarm): ALARM when at least
    DatapointsToAlarm of the last EvaluationPeriods values breach; missing values count as the
    alarm's TreatMissingData says."""

    logical_id: str
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    breaches: object
    missing_breaches: bool

    @classmethod
    def from_template(cls, template, logical_id):
        props = template["Resources"][logical_id]["Properties"]
        value = {name: resolve_number(template, props[name])
                 for name in ("Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold")}
        assert value["Period"] == 60, f"{logical_id}: one value per minute"
        assert props["TreatMissingData"] in ("notBreaching", "breaching"), f"{logical_id}: not modelled"
        return cls(logical_id, int(value["EvaluationPeriods"]), int(value["DatapointsToAlarm"]), value["Threshold"],
                   OPERATORS[props["ComparisonOperator"]], props["TreatMissingData"] == "breaching")

    def states(self, values):
        """ALARM (True) or not per minute, from the metric's value per minute (None: missing)."""
        breaching = [self.missing_breaches if v is None else self.breaches(v, self.threshold) for v in values]
        return [sum(breaching[max(0, minute + 1 - self.evaluation_periods):minute + 1]) >= self.datapoints_to_alarm
                for minute in range(len(values))]


@dataclass(frozen=True)
class ActionsSuppression:
    """A composite alarm's ActionsSuppressor: entering ALARM while the suppressor is in ALARM holds
    the actions until the suppressor has been out of ALARM for the extension period; entering ALARM
    while it is not waits up to the wait period for it. Actions that are due while the composite
    is still in ALARM run (CloudWatch's ActionsSuppressedBy: Alarm, WaitPeriod, ExtensionPeriod)."""

    suppressor: str
    wait_minutes: int
    extension_minutes: int

    @classmethod
    def from_template(cls, template, logical_id):
        props = template["Resources"][logical_id]["Properties"]
        suppressor, attribute = props["ActionsSuppressor"]["Fn::GetAtt"]
        assert attribute == "Arn"
        wait = int(resolve_number(template, props["ActionsSuppressorWaitPeriod"]))
        extension = int(resolve_number(template, props["ActionsSuppressorExtensionPeriod"]))
        assert wait % 60 == 0 and extension % 60 == 0, "the model works in whole minutes"
        return cls(suppressor, wait // 60, extension // 60)

    def notifications(self, alarm_states, suppressor_states):
        """Minutes at which the composite's ALARM actions run."""
        sent, mode, due = [], None, None
        for minute, (in_alarm, suppressed) in enumerate(zip(alarm_states, suppressor_states)):
            entered = in_alarm and (minute == 0 or not alarm_states[minute - 1])
            if not in_alarm:
                mode = None
                continue
            if mode == "sent":
                continue
            if suppressed:
                mode = "held"
            elif entered:
                mode, due = "waiting", minute + self.wait_minutes
            elif mode == "held":
                mode, due = "extending", minute + self.extension_minutes
            if mode in ("waiting", "extending") and minute >= due:
                sent.append(minute)
                mode = "sent"
        return sent
