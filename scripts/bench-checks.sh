#!/usr/bin/env bash
# Checks-worker throughput (issue: checks and review): verifications fully checked per minute
# with one worker, then two, over complete drafts made from the test documents and faces
# (tests/api/bench.rs, an ignored test that prints its figures). EKYC_BENCH_VERIFICATIONS sets
# the batch size (default 20 per run).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
prepare_services >/dev/null
export EKYC_TEST_DATABASE_URL
EKYC_TEST_DATABASE_URL=$(admin_db_url)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
cargo nextest run --locked -p ekyc-tests --run-ignored only --no-capture -E 'test(bench::)' 2>&1 |
    grep -E '^(prepared|1 worker|2 workers|\(each)'
