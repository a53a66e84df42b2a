#!/usr/bin/env bash
# The test command: from a fresh clone, installs what it needs and runs every test and template check.
#   scripts/test.sh
# Needs: Java 17+, Maven 3.8+, Python 3.9+, make. Network: Maven Central and PyPI only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

step() { printf '\n==> %s\n' "$*"; }

step "Python tools into .venv (moto, cfn-lint, aws-sam-cli, pytest)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
export PATH="$root/.venv/bin:$PATH"
export MOTO_SERVER="$root/.venv/bin/moto_server"
export SAM_CLI_TELEMETRY=0

step "Java: unit and integration tests (moto_server and a fake Deepgram on loopback)"
mvn -B -ntp verify

step "Done"
