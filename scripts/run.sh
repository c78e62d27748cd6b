#!/usr/bin/env bash
# Runs ekyc locally: the local services, migrations, the worker and the API serving the SPA
# on http://127.0.0.1:8080 (EKYC_BIND_ADDR to change). Ctrl-C stops the API and the worker;
# `scripts/services.sh down` stops the services.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

prepare_services
prepare_web
step "build"
cargo build -p ekyc --locked
(cd web && npm run --silent build)

# A signing key that survives restarts, kept with the other local state.
keyfile=$ROOT/.local/jwt-signing-key
if [[ -z ${EKYC_JWT_SIGNING_KEYS:-} ]]; then
    [[ -s $keyfile ]] || (umask 077 && "$EKYC_BIN" admin gen-jwt-key --kid local1 >"$keyfile")
    EKYC_JWT_SIGNING_KEYS=$(cat "$keyfile")
    export EKYC_JWT_SIGNING_KEYS
fi
export EKYC_WEB_DIR=${EKYC_WEB_DIR:-$ROOT/web/dist}
export EKYC_BIND_ADDR=${EKYC_BIND_ADDR:-127.0.0.1:8080}
export EKYC_PUBLIC_URL=${EKYC_PUBLIC_URL:-http://$EKYC_BIND_ADDR}

step "migrate"
"$EKYC_BIN" migrate

step "worker"
"$EKYC_BIN" worker >"$ROOT/.local/log/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "worker running (log: .local/log/worker.log)"

step "api + web on $EKYC_PUBLIC_URL  (docs: $EKYC_PUBLIC_URL/api/docs/, mail: http://127.0.0.1:1080)"
"$EKYC_BIN" serve
