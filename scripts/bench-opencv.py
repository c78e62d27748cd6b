"""Sharpness (variance of the Laplacian) and exposure (mean grey) with OpenCV, timed, on the
same files as vision/examples/metrics.rs. Prints one JSON line."""
import json
import sys
import time

import cv2
import numpy as np

files = sys.argv[1:]
decode = compute = 0.0
first = None
cv2.setNumThreads(1)
for f in files:
    data = np.fromfile(f, dtype=np.uint8)
    t = time.perf_counter()
    gray = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    decode += time.perf_counter() - t
    t = time.perf_counter()
    var = cv2.Laplacian(gray, cv2.CV_64F).var()
    mean = float(gray.mean())
    compute += time.perf_counter() - t
    if first is None:
        first = [var, mean]
print(json.dumps({"files": len(files), "decode_ms_per_image": decode * 1000 / len(files),
                  "metrics_ms_per_image": compute * 1000 / len(files), "first": first}))
