#!/usr/bin/env bash
# Load benchmark (not a test): the dashboard and the member list at province scale on SQLite,
# measured with wrk over loopback. Needs wrk (apt-get install wrk).
#   bench/load.sh [seconds per URL, default 20] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
connections="${2:-16}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet -p dangbo
dangbo=./target/release/dangbo
db="${DANGBO_BENCH_DB:-/tmp/dangbo-load.db}"
url="sqlite://$db"
if [ ! -f "$db" ]; then
  echo "Loading the province-scale demo (Thái Nguyên before 2025) into $db…"
  DANGBO_PROGRESS=lines "$dangbo" --db "$url" demo --scale province 2>/dev/null | tail -n 1
  DANGBO_PASSWORD=bench-password "$dangbo" --db "$url" user add bench --role administrator --name "Benchmark"
fi
addr=127.0.0.1:18080
"$dangbo" --db "$url" serve --addr "$addr" > /tmp/dangbo-load-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
# Wait for the server's "listening" line rather than sleeping a fixed time.
until grep -q "http://$addr" /tmp/dangbo-load-server.log 2>/dev/null; do
  kill -0 $server 2>/dev/null || { cat /tmp/dangbo-load-server.log; exit 1; }
  sleep 0.2
done
cookie=$(curl -s -D - -o /dev/null -d "username=bench&password=bench-password" "http://$addr/sign-in" \
  | grep -i '^set-cookie: dangbo_session=' | sed 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
members=$(curl -s -H "Cookie: $cookie" "http://$addr/api/v1/figures?keys=members.total" | grep -o '"value":[0-9]*' | head -n 1)
echo "Province scale: $members active members; $(nproc) cores; wrk -t2 -c$connections -d${duration}s"
# The dashboard's figures are cached until the next change: time one uncached evaluation first.
for as_of in 2024-12-31 2023-12-31 2022-12-31; do
  curl -s -o /dev/null -H "Cookie: $cookie" -w "cold dashboard as of $as_of: %{time_total} s\n" "http://$addr/?as_of=$as_of"
done
# after=I| starts a page deep in the list (given names from "T"): keyset pages cost the same anywhere.
for path in "/" "/members" "/members?after=I%7C" "/members?q=nguyen%20van" "/members?unit=H171"; do
  echo
  echo "== GET $path"
  wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" "http://$addr$path" \
    | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors"
done
