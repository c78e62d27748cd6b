#!/usr/bin/env bash
# Local backing services for ekyc development and tests, all on 127.0.0.1:
#
#   PostgreSQL  the server at $DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ekyc);
#               the database is created if missing. If no server answers there (and the URL is
#               local), a private cluster is started from /usr/lib/postgresql/15/bin on port 5433.
#   S3          s3s-fs on :${S3_PORT:-9000}, data in .local/s3, SigV4 with the S3_* dev keys
#   Mail        maildev: SMTP :${SMTP_PORT:-1025}, web/API http://127.0.0.1:${MAILDEV_WEB_PORT:-1080}
#   SMS         scripts/sms-standin.py (Twilio-compatible) on :${SMS_PORT:-1090}
#
# Usage: scripts/services.sh up|down|status|restart|env
#   up       start what is not running (idempotent; exits non-zero if a service is not ready in ~20 s)
#   down     stop what this script started (never a system PostgreSQL)
#   status   one line per service; exits 1 if any is down
#   env      print the environment values for the app (KEY=VALUE, from the last `up`)
#
# State lives in the git-ignored .local/ of the repository: run/ (pid files), log/, s3/, sms/, pg/
# (private cluster) and services.env (the values in use; `set -a; . .local/services.env; set +a`).
# Tools come from ${EKYC_TOOLS_DIR:-$HOME/.cache/ekyc/tools}; missing ones are installed with
# scripts/install-deps.sh unless EKYC_NO_INSTALL=1.
set -euo pipefail

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$SCRIPT_DIR/.." && pwd)
LOCAL_DIR=${EKYC_LOCAL_DIR:-$ROOT/.local}
RUN_DIR=$LOCAL_DIR/run
LOG_DIR=$LOCAL_DIR/log
ENV_FILE=$LOCAL_DIR/services.env
TOOLS_DIR=${EKYC_TOOLS_DIR:-$HOME/.cache/ekyc/tools}
PG_BIN=${EKYC_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR=${EKYC_PG_DIR:-$LOCAL_DIR/pg}
PG_PRIVATE_PORT=${EKYC_PG_PORT:-5433}
READY_TIMEOUT=${EKYC_READY_TIMEOUT:-20}

DEFAULT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ekyc
DEV_S3_ACCESS_KEY=ekyc-dev
DEV_S3_SECRET=ekyc-dev-secret-key-0123456789
DEV_SMS_TOKEN=dev-token

S3_PORT=${S3_PORT:-9000}
S3_ACCESS_KEY_ID=${S3_ACCESS_KEY_ID:-$DEV_S3_ACCESS_KEY}
S3_SECRET_ACCESS_KEY=${S3_SECRET_ACCESS_KEY:-$DEV_S3_SECRET}
S3_REGION=${S3_REGION:-us-east-1}
S3_BUCKET=${S3_BUCKET:-ekyc}
SMTP_PORT=${SMTP_PORT:-1025}
MAILDEV_WEB_PORT=${MAILDEV_WEB_PORT:-1080}
SMTP_FROM=${SMTP_FROM:-ekyc <no-reply@ekyc.local>}
SMS_PORT=${SMS_PORT:-1090}
SMS_ACCOUNT_SID=${SMS_ACCOUNT_SID:-ACdev}
SMS_AUTH_TOKEN=${SMS_AUTH_TOKEN:-$DEV_SMS_TOKEN}
SMS_FROM=${SMS_FROM:-+15005550006}

S3S_BIN=$TOOLS_DIR/s3s-fs/bin/s3s-fs
MAILDEV_BIN=$TOOLS_DIR/maildev/node_modules/.bin/maildev
PYTHON=${PYTHON:-python3}

log() { printf '%s\n' "$*"; }
warn() { printf 'services: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

# ---- generic detached processes ---------------------------------------------------------------

pid_of() { # name -> pid of the process we started, if it is still that process
    local name=$1 pattern=$2 pid
    [[ -f $RUN_DIR/$name.pid ]] || return 1
    pid=$(<"$RUN_DIR/$name.pid")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern" || return 1
    printf '%s\n' "$pid"
}

# What a running service was started with: its command line plus $SPEC_EXTRA (e.g. the hash
# of a script), so that `up` restarts it when either changes.
spec_of() { printf '%s\0' "${SPEC_EXTRA:-}" "$@" | sha256sum | cut -d' ' -f1; }

start_detached() { # name command... ; the pid is written by the process itself (setsid may fork)
    local name=$1; shift
    local log_file=$LOG_DIR/$name.log
    printf '=== %s starting %s: %s\n' "$(date -Is)" "$name" "$(basename -- "$1")" >>"$log_file"
    rm -f "$RUN_DIR/$name.pid"
    # Run from the state directory: s3s-fs writes temporary files relative to its working
    # directory, so a service started from a checkout that is later deleted breaks.
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
    (
        cd "$LOCAL_DIR" || exit 1
        setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/$name.pid" "$@" </dev/null >>"$log_file" 2>&1 &
    )
    for _ in $(seq 50); do [[ -s $RUN_DIR/$name.pid ]] && break; sleep 0.02; done
}

stop_pid() { # name pattern
    local name=$1 pattern=$2 pid
    if pid=$(pid_of "$name" "$pattern"); then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
        log "$(printf '%-10s stopped (pid %s)' "$name" "$pid")"
    else
        log "$(printf '%-10s not running (not started here)' "$name")"
    fi
    rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.spec"
}

wait_ready() { # name pattern check-function
    local name=$1 pattern=$2 check=$3 deadline=$((SECONDS + READY_TIMEOUT)) why
    why="did not become ready within ${READY_TIMEOUT}s"
    while ((SECONDS < deadline)); do
        "$check" && return 0
        if [[ -f $RUN_DIR/$name.pid ]] && ! pid_of "$name" "$pattern" >/dev/null; then
            why="exited" # no point waiting
            break
        fi
        sleep 0.2
    done
    warn "$name $why; last lines of $LOG_DIR/$name.log:"
    tail -n 25 "$LOG_DIR/$name.log" >&2 || true
    return 1
}

# ensure_service name pattern check url command... : start unless running with the same
# command line; restart if the command line (ports, keys) changed; then wait for readiness.
ensure_service() {
    local name=$1 pattern=$2 check=$3 url=$4; shift 4
    local spec pid
    spec=$(spec_of "$@")
    if pid=$(pid_of "$name" "$pattern"); then
        if [[ -f $RUN_DIR/$name.spec && $(<"$RUN_DIR/$name.spec") == "$spec" ]]; then
            if "$check"; then
                log "$(printf '%-10s up (pid %s) %s' "$name" "$pid" "$url")"
                return 0
            fi
        else
            log "$name: settings changed, restarting"
            stop_pid "$name" "$pattern" >/dev/null
        fi
    elif "$check"; then
        log "$(printf '%-10s up (not started by services.sh) %s' "$name" "$url")"
        return 0
    fi
    if ! pid_of "$name" "$pattern" >/dev/null; then
        start_detached "$name" "$@"
        printf '%s\n' "$spec" >"$RUN_DIR/$name.spec"
    fi
    wait_ready "$name" "$pattern" "$check" || return 1
    log "$(printf '%-10s started (pid %s) %s' "$name" "$(pid_of "$name" "$pattern" || echo '?')" "$url")"
}

http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true; }

# ---- PostgreSQL -------------------------------------------------------------------------------

as_pg() { # run a PostgreSQL server binary: they refuse to run as root
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url_db() { # the database name in a postgres URL
    local base=${1%%\?*}
    [[ $base =~ ^postgres(ql)?://[^/]+/([^/]+)$ ]] || return 1
    printf '%s\n' "${BASH_REMATCH[2]}"
}

url_with_db() { # url db -> the same URL pointing at another database
    local url=$1 db=$2 base query=
    base=${url%%\?*}
    [[ $url == *\?* ]] && query="?${url#*\?}"
    printf '%s/%s%s\n' "${base%/*}" "$db" "$query"
}

url_is_local() {
    [[ $1 =~ ^postgres(ql)?://([^@/]*@)?(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?/ ]]
}

mask_url() { sed -E 's#(://[^:/@]+:)[^@]+@#\1****@#' <<<"$1"; }

ensure_database() { # url
    local url=$1 db admin
    db=$(url_db "$url") || die "cannot find a database name in DATABASE_URL $(mask_url "$url")"
    [[ $db =~ ^[A-Za-z0-9_-]+$ ]] || die "unsupported database name '$db'"
    admin=$(url_with_db "$url" postgres)
    db_exists() { [[ $(psql "$admin" -XtAq -c "select 1 from pg_database where datname = '$db'" 2>/dev/null) == 1 ]]; }
    db_exists && return 0
    psql "$admin" -Xq -v ON_ERROR_STOP=1 -c "create database \"$db\"" >/dev/null 2>&1 || true
    db_exists || die "could not create database '$db' at $(mask_url "$url")"
    log "postgres: created database $db"
}

private_pg_running() {
    [[ -f $PG_DIR/PG_VERSION ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1
}

start_private_pg() {
    [[ -x $PG_BIN/initdb ]] || die "no server answers and $PG_BIN/initdb is missing (apt-get install postgresql-15)"
    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    local pg_log=$LOG_DIR/postgres.log
    touch "$pg_log"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$PG_DIR" "$pg_log"
        runuser -u postgres -- test -w "$PG_DIR" ||
            die "user postgres cannot reach $PG_DIR (a parent directory is private?); set EKYC_PG_DIR=/var/tmp/ekyc-pg"
    fi
    if [[ ! -f $PG_DIR/PG_VERSION ]]; then
        log "postgres: initdb $PG_DIR"
        as_pg "$PG_BIN/initdb" -D "$PG_DIR" -A trust -U postgres -E UTF8 --no-sync >/dev/null
    fi
    if ! private_pg_running; then
        log "postgres: starting private cluster on 127.0.0.1:$PG_PRIVATE_PORT"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -w -t "$READY_TIMEOUT" -l "$pg_log" -o "-p $PG_PRIVATE_PORT -k $PG_DIR \
-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null || {
            warn "private PostgreSQL did not start; last lines of $pg_log:"
            tail -n 25 "$pg_log" >&2
            return 1
        }
    fi
}

# Sets PG_URL (the DATABASE_URL to use) and PG_KIND.
ensure_postgres() {
    local url=${DATABASE_URL:-$DEFAULT_DATABASE_URL} db private_url
    command -v pg_isready >/dev/null || die "pg_isready not found (apt-get install postgresql-client-15)"
    if pg_isready -q -t 2 -d "$url"; then
        PG_URL=$url PG_KIND=server
    else
        url_is_local "$url" || die "no PostgreSQL answers at $(mask_url "$url") (not local: not starting one)"
        db=$(url_db "$url") || db=ekyc
        private_url=postgres://postgres@127.0.0.1:$PG_PRIVATE_PORT/$db
        if ! private_pg_running; then
            log "postgres: nothing answers at $(mask_url "$url")"
            start_private_pg || return 1
        fi
        pg_isready -q -t "$READY_TIMEOUT" -d "$private_url" || die "private PostgreSQL is not ready"
        PG_URL=$private_url PG_KIND="private cluster $PG_DIR"
    fi
    ensure_database "$PG_URL"
    log "$(printf '%-10s up (%s) %s' postgres "$PG_KIND" "$(mask_url "$PG_URL")")"
}

# ---- the other services -----------------------------------------------------------------------

s3_check() { [[ $(http_code "http://127.0.0.1:$S3_PORT/") != 000 ]]; }
mail_check() { curl -fs -o /dev/null -m 2 "http://127.0.0.1:$MAILDEV_WEB_PORT/api/healthz"; }
sms_check() { curl -fs -o /dev/null -m 2 "http://127.0.0.1:$SMS_PORT/_health"; }

ensure_tools() {
    local missing=()
    [[ -x $S3S_BIN ]] || missing+=(s3s-fs)
    [[ -x $MAILDEV_BIN ]] || missing+=(maildev)
    ((${#missing[@]})) || return 0
    [[ ${EKYC_NO_INSTALL:-0} != 1 ]] ||
        die "missing ${missing[*]} in $TOOLS_DIR: run scripts/install-deps.sh ${missing[*]}"
    log "installing ${missing[*]} into $TOOLS_DIR"
    EKYC_TOOLS_DIR=$TOOLS_DIR bash "$SCRIPT_DIR/install-deps.sh" "${missing[@]}"
}

env_pairs() { # the app's environment for these services, KEY=VALUE as is
    local pair
    for pair in \
        "DATABASE_URL=$PG_URL" \
        "S3_ENDPOINT=http://127.0.0.1:$S3_PORT" \
        "S3_REGION=$S3_REGION" \
        "S3_BUCKET=$S3_BUCKET" \
        "S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID" \
        "S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY" \
        "S3_FORCE_PATH_STYLE=true" \
        "SMTP_HOST=127.0.0.1" \
        "SMTP_PORT=$SMTP_PORT" \
        "SMTP_TLS=none" \
        "SMTP_FROM=$SMTP_FROM" \
        "SMS_BASE_URL=http://127.0.0.1:$SMS_PORT" \
        "SMS_ACCOUNT_SID=$SMS_ACCOUNT_SID" \
        "SMS_AUTH_TOKEN=$SMS_AUTH_TOKEN" \
        "SMS_FROM=$SMS_FROM" \
        "EKYC_FACE_MODELS_DIR=$TOOLS_DIR/face/models"; do
        printf '%s\n' "$pair"
    done
}

env_lines() { # env_pairs, shell-quoted where needed (for `. .local/services.env`)
    local pair
    while IFS= read -r pair; do printf '%s=%q\n' "${pair%%=*}" "${pair#*=}"; done < <(env_pairs)
}

print_env() { # env_lines with secrets masked unless they are the published dev defaults
    local line key value
    while IFS= read -r line; do
        key=${line%%=*} value=${line#*=}
        case $key in
            DATABASE_URL) value=$(mask_url "$value") ;;
            S3_SECRET_ACCESS_KEY)
                if [[ $value == "$DEV_S3_SECRET" ]]; then value+="   # dev default, not a secret"
                else value="${value:0:3}… (${#value} chars, masked)"; fi ;;
            SMS_AUTH_TOKEN)
                if [[ $value == "$DEV_SMS_TOKEN" ]]; then value+="   # dev default, not a secret"
                else value="${value:0:3}… (${#value} chars, masked)"; fi ;;
        esac
        printf '  %s=%s\n' "$key" "$value"
    done
}

write_env_file() { # rewrite only when the content changes
    local tmp
    tmp=$(mktemp "$LOCAL_DIR/.services.env.XXXXXX")
    {
        echo "# Written by scripts/services.sh up: the values the local services use."
        echo "# Load with: set -a; . .local/services.env; set +a"
        echo "# Mail UI/API: http://127.0.0.1:$MAILDEV_WEB_PORT  SMS stand-in control API: http://127.0.0.1:$SMS_PORT/_messages"
        env_lines
    } >"$tmp"
    chmod 600 "$tmp"
    if cmp -s "$tmp" "$ENV_FILE"; then rm -f "$tmp"; else mv "$tmp" "$ENV_FILE"; fi
}

# ---- commands ---------------------------------------------------------------------------------

cmd_up() {
    command -v curl >/dev/null || die "curl not found (scripts/install-deps.sh apt)"
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
    mkdir -p "$RUN_DIR" "$LOG_DIR" "$LOCAL_DIR/s3" "$LOCAL_DIR/sms"
    ensure_tools
    local failed=()
    ensure_postgres || failed+=(postgres)
    ensure_service s3 s3s-fs s3_check "http://127.0.0.1:$S3_PORT" \
        "$S3S_BIN" --host 127.0.0.1 --port "$S3_PORT" \
        --access-key "$S3_ACCESS_KEY_ID" --secret-key "$S3_SECRET_ACCESS_KEY" "$LOCAL_DIR/s3" || failed+=(s3)
    ensure_service mail maildev mail_check "smtp://127.0.0.1:$SMTP_PORT web http://127.0.0.1:$MAILDEV_WEB_PORT" \
        "$MAILDEV_BIN" --ip 127.0.0.1 --web-ip 127.0.0.1 -s "$SMTP_PORT" -w "$MAILDEV_WEB_PORT" || failed+=(mail)
    # The stand-in reads its credentials from the environment (`env` execs python, so they stay
    # off its command line); they are part of the spec, so changing them restarts it.
    SPEC_EXTRA=$(sha256sum "$SCRIPT_DIR/sms-standin.py") ensure_service sms sms-standin.py sms_check "http://127.0.0.1:$SMS_PORT" \
        env "SMS_ACCOUNT_SID=$SMS_ACCOUNT_SID" "SMS_AUTH_TOKEN=$SMS_AUTH_TOKEN" \
        "$PYTHON" "$SCRIPT_DIR/sms-standin.py" --host 127.0.0.1 --port "$SMS_PORT" \
        --data-dir "$LOCAL_DIR/sms" || failed+=(sms)
    if ((${#failed[@]})); then
        die "not ready: ${failed[*]}"
    fi
    write_env_file
    echo
    echo "Environment in use (also in ${ENV_FILE#"$ROOT"/}):"
    env_pairs | print_env
    echo "  # mail UI/API http://127.0.0.1:$MAILDEV_WEB_PORT (GET /api/email), SMS control http://127.0.0.1:$SMS_PORT/_messages"
}

cmd_down() {
    mkdir -p "$RUN_DIR"
    stop_pid sms sms-standin.py
    stop_pid mail maildev
    stop_pid s3 s3s-fs
    if private_pg_running; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null
        log "$(printf '%-10s stopped (private cluster %s)' postgres "$PG_DIR")"
    else
        log "$(printf '%-10s left alone (not a private cluster of this script)' postgres)"
    fi
}

status_line() { # name up? url note
    printf '%-10s %-5s %s%s\n' "$1" "$2" "$3" "${4:+  ($4)}"
}

cmd_status() {
    local down=0 url note pid
    url=$(sed -n 's/^DATABASE_URL=//p' "$ENV_FILE" 2>/dev/null || true)
    url=${url:-${DATABASE_URL:-$DEFAULT_DATABASE_URL}}
    note=
    if private_pg_running; then note="private cluster $PG_DIR"; fi
    if pg_isready -q -t 2 -d "$url"; then status_line postgres up "$(mask_url "$url")" "$note"
    else status_line postgres down "$(mask_url "$url")" "$note"; down=1; fi

    local name pattern check url_s
    for name in s3 mail sms; do
        case $name in
            s3) pattern=s3s-fs check=s3_check url_s="http://127.0.0.1:$S3_PORT" ;;
            mail) pattern=maildev check=mail_check url_s="smtp://127.0.0.1:$SMTP_PORT http://127.0.0.1:$MAILDEV_WEB_PORT" ;;
            sms) pattern=sms-standin.py check=sms_check url_s="http://127.0.0.1:$SMS_PORT" ;;
        esac
        if pid=$(pid_of "$name" "$pattern"); then note="pid $pid"; else note="not started by services.sh"; fi
        if "$check"; then status_line "$name" up "$url_s" "$note"
        else status_line "$name" down "$url_s" "${pid:+$note}"; down=1; fi
        pid=
    done
    return "$down"
}

cmd_env() {
    [[ -f $ENV_FILE ]] || die "no $ENV_FILE yet: run scripts/services.sh up"
    grep -v '^#' "$ENV_FILE"
}

case ${1:-} in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    restart) cmd_down; cmd_up ;;
    env) cmd_env ;;
    *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
