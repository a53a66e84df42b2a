#!/usr/bin/env bash
# The test command: from a fresh clone, installs what it needs and runs every test and template check.
#   scripts/test.sh
# Needs: Java 17+, Maven 3.8+, Python 3.9+, make. Network: Maven Central and PyPI only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

step "Python tools into .venv (moto, cfn-lint, aws-sam-cli, pytest, caption parsers)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
export PATH="$root/.venv/bin:$PATH"
export MOTO_SERVER="$root/.venv/bin/moto_server"
export SAM_CLI_TELEMETRY=0

step "Templates: cfn-lint on every template (.cfnlintrc lists them; no rule is switched off)"
cfn-lint

step "Templates: sam validate --lint"
sam validate --lint --template template.yaml
sam validate --lint --template alarms/template.yaml

step "Templates and docs: tests (thresholds, alarm actions, metrics contract, least privilege, trigger; documented paths)"
# The report lives outside target/: `mvn clean` below removes the root project's target/ folder.
python -m pytest -q -p no:cacheprovider --junitxml=.test-reports/template-tests.xml tests/template tests/docs

step "Java: unit and integration tests (moto_server and a fake Deepgram on loopback)"
mvn -B -ntp clean verify

step "Captions: every SRT and WebVTT file the Java tests wrote parses with independent parsers (srt, webvtt-py)"
python -m pytest -q -p no:cacheprovider --junitxml=.test-reports/caption-tests.xml tests/captions

step "sam build: every function through the Makefile (offline, no Docker, tests not run again)"
# samconfig.toml builds in the source folder, one function after the other.
started=$SECONDS
sam build
echo "sam build took $((SECONDS - started)) s"

step "Done"
# One closing line over every test report (JUnit XML from Surefire and pytest).
python - <<'PY'
import glob
import xml.etree.ElementTree as ET

totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for report in glob.glob("**/target/surefire-reports/TEST-*.xml", recursive=True) + [".test-reports/template-tests.xml", ".test-reports/caption-tests.xml"]:
    root = ET.parse(report).getroot()
    for suite in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        for name in totals:
            totals[name] += int(suite.get(name, 0))
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print(f"Tests: {passed} passed, {failed} failed, {totals['skipped']} skipped")
PY
