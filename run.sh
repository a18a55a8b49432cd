#!/usr/bin/env bash
# Runs Dangbo's web app on embedded SQLite (./dangbo.db). On first run it loads the demo district
# and demo accounts, then prints the address and how to sign in.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet -p dangbo
export DANGBO_DATABASE_URL="${DANGBO_DATABASE_URL:-sqlite://dangbo.db}"
exec ./target/release/dangbo serve --demo --addr "${DANGBO_ADDR:-127.0.0.1:8080}"
