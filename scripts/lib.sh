# Shared helpers for scripts/run.sh and scripts/test.sh (sourced, not run).
# shellcheck shell=bash

ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=${EKYC_TOOLS_DIR:-$HOME/.cache/ekyc/tools}
export EKYC_TOOLS_DIR=$TOOLS_DIR
# One target directory for every build of this checkout (cargo's default, stated for clarity).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
EKYC_BIN=$CARGO_TARGET_DIR/debug/ekyc

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Installs what is missing and starts the local services; exports their settings.
prepare_services() {
    step "dependencies"
    bash "$ROOT/scripts/install-deps.sh"
    step "local services"
    bash "$ROOT/scripts/services.sh" up
    set -a
    # shellcheck disable=SC1091
    . "$ROOT/.local/services.env"
    set +a
}

# npm ci only when package-lock.json changed since the last install.
prepare_web() {
    step "web dependencies"
    local stamp=$ROOT/web/node_modules/.ekyc-lock-sha
    local sha
    sha=$(sha256sum "$ROOT/web/package-lock.json" | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$sha" ]]; then
        echo "node_modules up to date"
    else
        (cd "$ROOT/web" && npm ci --no-audit --no-fund --loglevel=error)
        echo "$sha" >"$stamp"
    fi
}

# The maintenance database URL of the server in DATABASE_URL.
admin_db_url() {
    printf '%s/postgres' "${DATABASE_URL%/*}"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {
    local url=$1 tries=${2:-100}
    for _ in $(seq "$tries"); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    echo "not ready: $url" >&2
    return 1
}
