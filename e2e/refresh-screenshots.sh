#!/usr/bin/env bash
# Refreshes docs/screenshots/ from the browser journeys (the test suite writes them to a temporary
# folder). Needs what ./test.sh needs: chromium, and playwright-core from `npm ci --prefix e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix e2e --no-audit --no-fund --silent
DANGBO_SCREENSHOTS="$PWD/docs/screenshots" cargo test -p dangbo --test browser --locked
