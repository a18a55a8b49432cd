#!/usr/bin/env bash
# Runs Dangbo on embedded SQLite (./dangbo.db), offering the demo data on first run.
# Until the web app lands, this shows the demo district's organization tree and figures.
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet -p dangbo
dangbo=./target/release/dangbo
export DANGBO_DATABASE_URL="${DANGBO_DATABASE_URL:-sqlite://dangbo.db}"
if ! "$dangbo" units --as-of 2021-12-31 | grep -q '\['; then
  echo "Cơ sở dữ liệu trống: nạp dữ liệu mẫu (huyện Pác Nặm, tỉnh Bắc Kạn)…"
  "$dangbo" demo
fi
"$dangbo" stats --unit H060 --as-of 2021-12-31
echo
"$dangbo" units --as-of "$(date +%F)" | head -n 20
echo
echo "Thử thêm:"
echo "  $dangbo stats --unit X2025-01864 --json"
echo "  $dangbo members --unit X2025-01864 --search \"hoang thi\""
