#!/usr/bin/env bash
# Installs Schemathesis (the API fuzzer that test/api/schemathesis.test.ts runs against /api/openapi.json) into a
# project-local virtual environment, as scripts/setup-temporal.sh installs the Temporal binaries: pinned, so a new
# release cannot change what the suite checks. Idempotent: a second run only looks at the stamp.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
VENV=${SCHEMATHESIS_VENV_DIR:-.schemathesis-venv}
PYTHON=${PYTHON:-python3}
STAMP="$VENV/.installed-$SCHEMATHESIS_VERSION"

if [ -f "$STAMP" ]; then exit 0; fi

fail() {
  echo "$1; install python3 with venv and pip (scripts/test-prerequisites.sh names the packages) and run npm test again." >&2
  exit 1
}
command -v "$PYTHON" >/dev/null 2>&1 || fail "No $PYTHON was found to install Schemathesis"
"$PYTHON" -m venv "$VENV" >/dev/null 2>&1 || fail "$PYTHON could not create a virtual environment for Schemathesis"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
  fail "pip could not install schemathesis $SCHEMATHESIS_VERSION"
touch "$STAMP"
