# syntax=docker/dockerfile:1
#
# Sellout's three container images, one build target each (from the
# repository root; BuildKit is needed for the cache mounts, which Docker 23+
# and Podman/Buildah use by default):
#
#   docker build --target operator -t ghcr.io/sellout-io/sellout-operator:0.1.0 .
#   docker build --target gateway  -t ghcr.io/sellout-io/sellout-gateway:0.1.0 .
#   docker build --target worker   -t ghcr.io/sellout-io/sellout-worker:0.1.0 .
#
# The names are the chart's defaults (operator.image, gateway.image,
# worker.image in charts/sellout/values.yaml); the tag is the chart's
# appVersion unless the values say otherwise. Add
# `--build-arg REVISION=$(git rev-parse HEAD)` to label the commit.
#
# Every image runs as uid/gid 65532 (distroless "nonroot", the chart's
# podSecurityContext) with its binary as the entrypoint, so the chart's and
# the operator's `args` are the binary's flags. Only the gateway image needs
# the web stage; BuildKit skips it for the other two.

# Keep equal to the channel in rust-toolchain.toml. That file is not copied
# into the build: rustup would then add the rustfmt and clippy components it
# lists, which a release build does not use.
ARG RUST_VERSION=1.95.0

# --- Rust: the three binaries ------------------------------------------------
FROM rust:${RUST_VERSION}-bookworm AS rust-build
WORKDIR /src
# The whole workspace: Cargo reads every member's manifest and targets,
# even of the crates it does not build (e2e).
COPY Cargo.toml Cargo.lock ./
COPY common common
COPY crds crds
COPY store store
COPY client client
COPY notify notify
COPY operator operator
COPY workers workers
COPY gateway gateway
COPY e2e e2e
# The registry and target directory live in cache mounts, so a rebuild
# compiles only what changed; the binaries are copied out of the mount
# because it is not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
        -p sellout-operator -p sellout-gateway -p sellout-workers --bins \
 && mkdir -p /out \
 && cp target/release/sellout-operator \
       target/release/sellout-gateway \
       target/release/sellout-worker /out/

# --- Web: portal, embed.js, Backstage, scanner app -----------------------------
FROM node:20-bookworm-slim AS web-build
WORKDIR /src
# Manifests first, so `npm ci` is cached until a dependency changes.
COPY package.json package-lock.json ./
COPY packages/scanner/package.json packages/scanner/
COPY mobile/package.json mobile/
COPY web/package.json web/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY packages packages
COPY mobile mobile
COPY web web
# Writes packages/scanner/dist, mobile/dist, web/dist (portal and embed.js)
# and web/dist-backstage.
RUN npm run build

# --- Runtime base ------------------------------------------------------------------
# glibc, libgcc and CA certificates (the rustls clients read the system
# trust store), no shell. Debian 12, as the builder, so glibc matches.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
ARG VERSION=0.1.0
ARG REVISION=""
LABEL org.opencontainers.image.source="https://github.com/sellout-io/sellout" \
      org.opencontainers.image.url="https://github.com/sellout-io/sellout" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="Sellout" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# Numeric, so the kubelet can check runAsNonRoot without the image's
# /etc/passwd; the operator's worker pods set no user of their own.
USER 65532:65532

# --- Operator -----------------------------------------------------------------------
FROM runtime AS operator
LABEL org.opencontainers.image.title="sellout-operator" \
      org.opencontainers.image.description="The Sellout Kubernetes operator: Events, Venues, TicketTiers and Organizations into per-event workers, streams and collections."
COPY --from=rust-build /out/sellout-operator /usr/local/bin/sellout-operator
# /metrics, /healthz, /readyz (the chart passes --listen=0.0.0.0:9090).
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/sellout-operator"]

# --- Gateway ------------------------------------------------------------------------
FROM runtime AS gateway
LABEL org.opencontainers.image.title="sellout-gateway" \
      org.opencontainers.image.description="The Sellout GraphQL gateway, with the purchase portal, Backstage and the scanner app."
COPY --from=rust-build /out/sellout-gateway /usr/local/bin/sellout-gateway
# Where the chart's --portal-app, --backstage-app and --scanner-app point.
COPY --from=web-build /src/web/dist /app/web/dist
COPY --from=web-build /src/web/dist-backstage /app/web/dist-backstage
COPY --from=web-build /src/mobile/dist /app/mobile/dist
# 4000: /graphql, /portal/, /backstage/, /scanner/, /webhooks/stripe,
# /healthz, /readyz (--listen); 9090: /metrics (--metrics-listen).
EXPOSE 4000 9090
ENTRYPOINT ["/usr/local/bin/sellout-gateway"]

# --- Worker -------------------------------------------------------------------------
FROM runtime AS worker
LABEL org.opencontainers.image.title="sellout-worker" \
      org.opencontainers.image.description="The Sellout per-event worker (--role checkout or --role scan)."
COPY --from=rust-build /out/sellout-worker /usr/local/bin/sellout-worker
# /healthz, /readyz, /webhooks/stripe (--listen, default 0.0.0.0:8080).
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sellout-worker"]
