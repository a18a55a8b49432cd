#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the whole suite on SQLite and PostgreSQL, and the
# browser journeys in headless chromium.
set -euo pipefail
cd "$(dirname "$0")"

# The store's tests need the PostgreSQL server of this machine kind (127.0.0.1:5432, trust auth).
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not running on 127.0.0.1:5432" >&2; exit 1; }

# playwright-core drives Debian's chromium in the browser journeys (crates/cli/tests/browser.rs).
npm ci --prefix e2e --no-audit --no-fund --silent

# The OpenAPI validator and Schemathesis (crates/web/tests/contract.rs), pinned, from PyPI.
if [ ! -x target/pytools/bin/st ] || ! cmp -s tools/requirements.txt target/pytools/requirements.txt; then
  python3 -m venv target/pytools
  target/pytools/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
  cp tools/requirements.txt target/pytools/requirements.txt
fi

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
# cargo-nextest (part of this machine kind's toolchain) runs the test binaries in parallel.
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  cargo test --workspace --locked
fi
