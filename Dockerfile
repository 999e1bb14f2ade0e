# dualstack-audit as a container image: docs/ci.md ("Container image"). Not built by this
# repository's CI (no container daemon there); test/dockerfile.test.ts checks its structure.
#
#   docker build -t dualstack-audit .
#   docker run --rm -v "$PWD:/work:ro" dualstack-audit k8s/
#
# Stage 1 bundles the sources with esbuild (scripts/bundle.ts) and packs the npm tarball; the
# final stage installs only that tarball (the bundle, its two external modules and the optional
# live client) and runs as the unprivileged "node" user.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY scripts/bundle.ts scripts/
COPY src/ src/
COPY bin/ bin/
COPY docs/ docs/
COPY README.md LICENSE ./
# The bundle alone (type checking is CI's job), then the tarball without running prepare again.
RUN node --import tsx scripts/bundle.ts \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mv /tmp/dualstack-audit-*.tgz /tmp/dualstack-audit.tgz

FROM node:20-bookworm-slim
# --build-arg NPM_INSTALL_FLAGS=--omit=optional leaves out @kubernetes/client-node: files only.
ARG NPM_INSTALL_FLAGS=""
COPY --from=build /tmp/dualstack-audit.tgz /tmp/dualstack-audit.tgz
RUN npm install -g --no-audit --no-fund $NPM_INSTALL_FLAGS /tmp/dualstack-audit.tgz \
 && rm /tmp/dualstack-audit.tgz \
 && npm cache clean --force
USER node
WORKDIR /work
ENTRYPOINT ["dualstack-audit"]
CMD ["--help"]
