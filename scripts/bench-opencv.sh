#!/usr/bin/env bash
# The same sharpness and exposure metrics in Rust (ekyc-vision, release) and in OpenCV
# (opencv-python-headless, one thread) over the same fixture files; prints both and the ratio.
#   scripts/bench-opencv.sh [N files, default 40]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
n=${1:-40}
venv=$TOOLS_DIR/bench-venv
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import cv2' 2>/dev/null || "$venv/bin/pip" install -q 'opencv-python-headless==4.10.0.84' 'numpy<2.3'
dir=${EKYC_FIXTURES_DIR:-$ROOT/.local/fixtures}
mapfile -t files < <(find "$dir" -name '*.jpg' | sort | head -n "$n")
cargo build -q --release -p ekyc-vision --example metrics
rust=$("$CARGO_TARGET_DIR/release/examples/metrics" "${files[@]}")
cv=$("$venv/bin/python" scripts/bench-opencv.py "${files[@]}")
echo "rust:   $rust"
echo "opencv: $cv"
python3 - "$rust" "$cv" <<'PY'
import json, sys
r, c = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for k in ("decode_ms_per_image", "metrics_ms_per_image"):
    print(f"{k}: rust {r[k]:.2f} ms, opencv {c[k]:.2f} ms, rust/opencv = {r[k] / c[k]:.2f}")
PY
