#!/usr/bin/env bash
# Upload benchmark (issue: flow): latency of a 12 MP JPEG to stored, p50/p99 at 1 and 8
# concurrent uploads, and the server's peak memory (VmHWM) under 20 concurrent uploads. The
# photo is a good 12 MP passport capture from the labelled fixtures (seed 1), so the gate keeps
# it and every upload takes the whole path. Release build; local services; a fresh database.
# Prints one line per run.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
prepare_services >/dev/null
export EKYC_FIXTURES_DIR=${EKYC_FIXTURES_DIR:-$TOOLS_DIR/fixtures/seed-1}
bash "$ROOT/scripts/fixtures/setup.sh" >/dev/null
"$TOOLS_DIR/fixtures-venv/bin/python" "$ROOT/scripts/fixtures/generate.py" --out "$EKYC_FIXTURES_DIR" --seed 1 --jobs "$(nproc)" >/dev/null
cargo build --release --locked -p ekyc -p ekyc-tests --bin ekyc --bin upload-load
admin=$(admin_db_url)
run() {
    local concurrency=$1 per=$2
    psql "$admin" -qc "DROP DATABASE IF EXISTS ekyc_bench WITH (FORCE)" -c "CREATE DATABASE ekyc_bench"
    local port
    port=$(free_port)
    DATABASE_URL="${DATABASE_URL%/*}/ekyc_bench" EKYC_BIND_ADDR=127.0.0.1:$port EKYC_RATE_LIMIT_REGISTER_IP=1000/60 \
        RUST_LOG=warn "$CARGO_TARGET_DIR/release/ekyc" serve >"$ROOT/.local/log/bench-api.log" 2>&1 &
    local pid=$!
    wait_http "http://127.0.0.1:$port/readyz"
    "$CARGO_TARGET_DIR/release/upload-load" "http://127.0.0.1:$port" "$concurrency" "$per"
    echo "  server peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
run 1 20
run 8 5
run 20 2
