# Targets mirror CI: `make test` is exactly what .ci/run runs.
.PHONY: run test check services services-down openapi schema env-example fmt bench fixtures accuracy face-calibration

run:            ## services + migrations + worker + API serving the SPA on :8080
	bash scripts/run.sh

test:           ## every lint, drift check and test (what CI runs)
	bash scripts/test.sh

check:          ## lints and drift checks only
	bash scripts/install-deps.sh >/dev/null && bash scripts/services.sh up >/dev/null
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo run -q -p ekyc -- openapi --check
	set -a && . .local/services.env && set +a && cargo build -q -p ekyc && bash scripts/check-schema.sh
	cd web && npm run check:api && npm run lint && npm run typecheck

services:       ## start the local services (idempotent)
	bash scripts/services.sh up

services-down:
	bash scripts/services.sh down

openapi:        ## regenerate openapi.yaml and the web client from the code
	cargo run -q -p ekyc -- openapi
	cd web && npm run gen:api

schema:         ## regenerate api/src/db/schema.rs from the migrations
	set -a && . .local/services.env && set +a && cargo build -q -p ekyc && bash scripts/check-schema.sh --write

env-example:    ## regenerate .env.example from the configuration code
	cargo run -q -p ekyc -- admin env-example > .env.example

fmt:
	cargo fmt --all

fixtures:       ## the labelled document-photo set (deterministic) in .local/fixtures
	bash scripts/fixtures/setup.sh
	$${EKYC_TOOLS_DIR:-$$HOME/.cache/ekyc/tools}/fixtures-venv/bin/python scripts/fixtures/generate.py --out .local/fixtures --seed 1 --jobs $$(nproc)

accuracy: fixtures  ## quality gate and MRZ/PDF417 accuracy over the fixtures (prints the confusion table)
	EKYC_FIXTURES_DIR=$(CURDIR)/.local/fixtures cargo test --release -p ekyc-vision --test accuracy -- --nocapture --test-threads 1

bench:          ## upload load test; checks-worker throughput; vision criterion benchmarks; OpenCV comparison
	bash scripts/bench-upload.sh
	bash scripts/bench-checks.sh
	EKYC_FIXTURES_DIR=$(CURDIR)/.local/fixtures taskset -c 0 cargo bench -p ekyc-vision  # one core, as the goals are stated
	bash scripts/bench-opencv.sh

face-calibration:  ## face-match distances of genuine and impostor pairs (real photos + augmentations)
	bash scripts/face-assets.sh >/dev/null
	EKYC_FACE_MODELS_DIR=$${EKYC_TOOLS_DIR:-$$HOME/.cache/ekyc/tools}/face/models \
	EKYC_FACE_PHOTOS_DIR=$${EKYC_TOOLS_DIR:-$$HOME/.cache/ekyc/tools}/face/photos \
	EKYC_FACE_EXTRA=C=$${EKYC_TOOLS_DIR:-$$HOME/.cache/ekyc/tools}/fixtures-src/skimage/astronaut.png \
	cargo run -q --release -p ekyc-face --example calibrate
