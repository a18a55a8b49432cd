#!/usr/bin/env bash
# Load benchmark (not a test): at national scale on PostgreSQL, the national dashboard, a commune's
# dashboard and the member search, each under wrk for a while, while a writer records 5 events a
# second through the API. Reports requests/s, latency percentiles, the writes made, and the
# server's memory.
#   bench/load.sh [seconds per URL, default 30] [connections, default 16]
# DANGBO_LOAD_DB names the database (default postgres://postgres@127.0.0.1:5432/dangbo_load); an
# empty one is first filled by `dangbo bench --scale nation` (about an hour on this machine kind).
# Needs wrk, curl and psql (apt-get install wrk curl postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30}"
connections="${2:-16}"
for tool in wrk curl psql; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install wrk curl postgresql-client" >&2; exit 1; }
done
cargo build --release --quiet -p dangbo
dangbo=./target/release/dangbo
url="${DANGBO_LOAD_DB:-postgres://postgres@127.0.0.1:5432/dangbo_load}"
admin_url="${url%/*}/postgres"
name="${url##*/}"
if ! psql "$admin_url" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
  psql "$admin_url" -qc "CREATE DATABASE \"$name\""
fi
if [ "$(psql "$url" -Atc "SELECT count(*) FROM information_schema.tables WHERE table_name = 'units'")" = "0" ] \
  || [ "$(psql "$url" -Atc "SELECT count(*) FROM units")" = "0" ]; then
  echo "Loading the national demo into $url (dangbo bench --scale nation)…"
  "$dangbo" --db "$url" bench --scale nation
fi
if [ "$(psql "$url" -Atc "SELECT count(*) FROM users WHERE username = 'bench'")" = "0" ]; then
  DANGBO_PASSWORD=bench-password "$dangbo" --db "$url" user add bench --role administrator --name "Benchmark"
fi
token=$("$dangbo" --db "$url" token add "load $(date +%s)" --role administrator | grep -o 'dbt_[0-9a-f]*')

addr=127.0.0.1:18080
log=/tmp/dangbo-load-server.log
"$dangbo" --db "$url" serve --addr "$addr" > "$log" 2>&1 &
server=$!
writer=""
trap 'kill $server $writer 2>/dev/null || true' EXIT
# Wait for the server's "listening" line rather than sleeping a fixed time.
until grep -q "http://$addr" "$log" 2>/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
cookie=$(curl -s -D - -o /dev/null -d "username=bench&password=bench-password" "http://$addr/sign-in" \
  | grep -i '^set-cookie: dangbo_session=' | sed 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }

# The commune measured, and members elsewhere whom the writer exempts, one event each.
commune=$(psql "$url" -Atc "SELECT code FROM units WHERE kind = 'grassroots_committee' AND end_date IS NULL ORDER BY id LIMIT 1")
commune_path=$(psql "$url" -Atc "SELECT path FROM units WHERE code = '$commune'")
psql "$url" -Atc "SELECT m.code FROM member_spans s JOIN members m ON m.id = s.member_id
  WHERE s.to_date IS NULL AND s.status = 'full' AND s.exempt = 0 AND s.suspended = 0
  AND s.unit_path NOT LIKE '$commune_path%' ORDER BY m.id DESC LIMIT 100000" > /tmp/dangbo-load-writes.txt
members=$(psql "$url" -Atc "SELECT count(*) FROM member_spans WHERE to_date IS NULL")
echo "National scale on PostgreSQL: $members open spans; $(nproc) cores; wrk -t2 -c$connections -d${duration}s"
echo "Commune measured: $commune; the writer records 5 events/s elsewhere while wrk runs."

write() {
  local today
  today=$(date +%F)
  while read -r code; do
    curl -s -o /dev/null -w "%{http_code}\n" -X POST -H "Authorization: Bearer $token" \
      -H "Content-Type: application/json" \
      -d "{\"kind\":\"exemption\",\"date\":\"$today\",\"decision_number\":\"01-QĐ/BENCH\"}" \
      "http://$addr/api/v1/members/$code/events" >> /tmp/dangbo-load-written.txt
    sleep 0.2
  done < /tmp/dangbo-load-writes.txt
}
: > /tmp/dangbo-load-written.txt
write &
writer=$!

for path in "/" "/?unit=$commune" "/members?q=tran%20thi%20lan" "/members?q=la%20thi%20sau"; do
  echo
  echo "== GET $path"
  wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" "http://$addr$path" \
    | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors"
done
kill $writer 2>/dev/null || true
echo
echo "writes: $(grep -c '^20' /tmp/dangbo-load-written.txt) recorded, $(grep -vc '^20' /tmp/dangbo-load-written.txt || true) refused"
grep -E '^(VmHWM|VmRSS)' "/proc/$server/status"
