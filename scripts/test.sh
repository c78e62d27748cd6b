#!/usr/bin/env bash
# Every check and test of ekyc, as CI runs it: installs what is missing, starts the local
# services, builds once, then runs lints, drift checks, the Rust tests (unit + black-box API
# tests over HTTP against PostgreSQL and S3), the web unit tests and the browser tests
# (Debian chromium driving the real SPA served by the real API).
#
#   scripts/test.sh            everything
#   SKIP_LINT=1 scripts/test.sh  tests only
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
started=$(date +%s)

prepare_services
prepare_web

step "build"
cargo build --workspace --all-targets --locked
export EKYC_S3S_FS_BIN=$TOOLS_DIR/s3s-fs/bin/s3s-fs
export EKYC_TEST_DATABASE_URL
EKYC_TEST_DATABASE_URL=$(admin_db_url)

if [[ -z ${SKIP_LINT:-} ]]; then
    step "lints and drift checks"
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --locked -- -D warnings
    "$EKYC_BIN" openapi --check
    bash "$ROOT/scripts/check-schema.sh"
    (cd web && npm run --silent check:api && npm run --silent lint && npm run --silent typecheck)
fi

step "labelled document fixtures"
# Deterministic (seed 1); generate.py is a no-op when the set in the cache was made by the
# same generator source (sha256 of scripts/fixtures/*.py), so a warm run skips it.
export EKYC_FIXTURES_DIR=${EKYC_FIXTURES_DIR:-$TOOLS_DIR/fixtures/seed-1}
bash "$ROOT/scripts/fixtures/setup.sh" >/dev/null
"$TOOLS_DIR/fixtures-venv/bin/python" "$ROOT/scripts/fixtures/generate.py" --out "$EKYC_FIXTURES_DIR" --seed 1 --jobs "$(nproc)"

step "rust tests"
# Databases left by an earlier, interrupted run.
psql "$EKYC_TEST_DATABASE_URL" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'ekyc\_t\_%'" |
    while read -r db; do psql "$EKYC_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"; done
if command -v cargo-nextest >/dev/null; then
    cargo nextest run --workspace --locked --no-fail-fast -E 'not (package(ekyc-vision) and binary(accuracy))'
else
    cargo test --workspace --locked --no-fail-fast --exclude ekyc-vision
    cargo test -p ekyc-vision --locked --no-fail-fast --lib
fi

step "vision accuracy over the labelled fixtures (confusion table, MRZ and PDF417 rates)"
cargo test -p ekyc-vision --locked --test accuracy -- --nocapture --test-threads 1

step "web unit tests"
(cd web && npm run --silent test:unit)

step "browser tests"
(cd web && npm run --silent build && npm run --silent size)
e2e_db=ekyc_e2e
psql "$EKYC_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $e2e_db WITH (FORCE)" -c "CREATE DATABASE $e2e_db"
port=$(free_port)
log=$ROOT/.local/log/e2e-api.log
mkdir -p "$ROOT/.local/log"
# A level without liveness: chromium's fake camera cannot turn its head. The liveness check
# itself is tested in tests/api/faces.rs, never weakened for this.
e2e_env=(DATABASE_URL="${DATABASE_URL%/*}/$e2e_db" EKYC_BIND_ADDR=127.0.0.1:$port EKYC_PUBLIC_URL=http://127.0.0.1:$port
    EKYC_LEVELS_FILE="$ROOT/web/tests/e2e/levels-without-liveness.json")
env "${e2e_env[@]}" EKYC_WEB_DIR="$ROOT/web/dist" "$EKYC_BIN" serve >"$log" 2>&1 &
api_pid=$!
trap 'kill $api_pid 2>/dev/null || true' EXIT
wait_http "http://127.0.0.1:$port/readyz" || { tail -n 30 "$log"; exit 1; }
# The worker runs the submitted verifications' jobs; staff accounts are made the documented way.
env "${e2e_env[@]}" "$EKYC_BIN" worker >"$ROOT/.local/log/e2e-worker.log" 2>&1 &
worker_pid=$!
trap 'kill $api_pid $worker_pid 2>/dev/null || true' EXIT
admin_email=e2e-admin@example.com
admin_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
printf '%s\n' "$admin_password" | env "${e2e_env[@]}" "$EKYC_BIN" admin create-user --email "$admin_email" --role admin --password-stdin >/dev/null
# The reviewer decides in the review console (the browser story signs in as them).
reviewer_email=e2e-reviewer@example.com
reviewer_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
printf '%s\n' "$reviewer_password" | env "${e2e_env[@]}" "$EKYC_BIN" admin create-user --email "$reviewer_email" --role reviewer --password-stdin >/dev/null
(cd web && EKYC_BASE_URL=http://127.0.0.1:$port EKYC_E2E_ADMIN_EMAIL=$admin_email EKYC_E2E_ADMIN_PASSWORD=$admin_password \
    EKYC_E2E_REVIEWER_EMAIL=$reviewer_email EKYC_E2E_REVIEWER_PASSWORD=$reviewer_password \
    npm run --silent test:e2e)
kill $api_pid $worker_pid 2>/dev/null || true

step "done in $(($(date +%s) - started)) s"
