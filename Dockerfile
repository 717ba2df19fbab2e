# syntax=docker/dockerfile:1
#
# Parley's API server. One image serves every instance of the scaled-out deployment
# (docker-compose.yml, deploy/README.md); each instance is configured only by its environment.
#
# Stages:
#   base       Node and pnpm, shared by the stages that install packages
#   manifests  only the workspace's package manifests and lockfile, so that installing packages
#              is cached until one of them changes, not on every source edit
#   build      every dependency, then the sources and the generated Prisma client
#   web        the web app's static export (apps/web/out), which the API serves on its origin
#   prod-deps  runtime dependencies only: no Prisma CLI, TypeScript or their tooling
#   runtime    the image that runs, as the unprivileged `node` user

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base

# Corepack cannot fetch pnpm here, so pnpm comes from the npm registry like any other package.
ARG PNPM_VERSION=12
RUN npm install --global --no-fund --no-audit pnpm@${PNPM_VERSION}
WORKDIR /app


FROM base AS manifests

# Collect each workspace package's package.json wherever it lives (apps/*, packages/*, bench,
# e2e), keeping its path, so that a new workspace package needs no change here. The install below
# copies this stage's output, whose cache key is the manifests' content alone. An .npmrc is left
# out on purpose: pnpm's settings live in pnpm-workspace.yaml, and an .npmrc may hold a token
# that would otherwise end up in the image.
WORKDIR /context
COPY . .
RUN mkdir /manifests \
 && find . -maxdepth 3 -not -path '*/node_modules/*' \
      \( -name package.json -o -path ./pnpm-workspace.yaml -o -path ./pnpm-lock.yaml \) \
      -exec cp --parents {} /manifests/ \;


FROM base AS build

COPY --from=manifests /manifests/ ./
# The pnpm store lives in a build cache, so a changed lockfile downloads only what changed.
# `@parley/api...` installs the API and the workspace packages it depends on, nothing else.
RUN --mount=type=cache,id=parley-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --filter @parley/api...

COPY tsconfig.base.json ./
COPY prisma ./prisma
COPY apps/api ./apps/api

# The Prisma client is generated source (git-ignored); generating it here means the running
# container never writes to its own code and never needs the Prisma CLI.
WORKDIR /app/apps/api
RUN pnpm run generate


FROM base AS web

COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,id=parley-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --store-dir /pnpm/store --filter @parley/web...

COPY tsconfig.base.json ./
COPY packages/crypto ./packages/crypto
COPY apps/web ./apps/web
WORKDIR /app/apps/web
RUN NEXT_TELEMETRY_DISABLED=1 pnpm run build


FROM base AS prod-deps

COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,id=parley-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --store-dir /pnpm/store --filter @parley/api...


FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000

# The code stays owned by root, so a compromised server cannot rewrite what it runs. Only the
# data folder is the server's: the embedded default (no DATABASE_URL) keeps PGlite and its
# generated keys there, and every instance keeps uploaded media in its media/ folder.
WORKDIR /app
COPY --from=prod-deps /app/ ./
COPY --from=build /app/tsconfig.base.json ./
# migrate.ts applies prisma/migrations at start, so the migrations ship with the server.
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/apps/api/tsconfig.json /app/apps/api/prisma.config.ts ./apps/api/
COPY --from=build /app/apps/api/src ./apps/api/src
# WEB_ROOT's default, apps/web/out: every instance serves the same build of the app.
COPY --from=web /app/apps/web/out ./apps/web/out
# Created here, owned by `node`, so that a volume mounted on data/media (docker-compose.yml) starts
# with that owner.
RUN mkdir -p /app/apps/api/data/media && chown -R node:node /app/apps/api/data

USER node
WORKDIR /app/apps/api
EXPOSE 4000

# Liveness only: /healthz answers while the process serves HTTP. Whether an instance should take
# traffic (database and Redis reachable, not draining) is /readyz, which the load balancer
# checks. Slim images have no curl, so Node makes the request; PORT follows an override.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz') \
    .then((response) => process.exit(response.ok ? 0 : 1)) \
    .catch(() => process.exit(1))"

# On SIGTERM the server stops accepting work, reports not ready, finishes what is in flight for
# up to SHUTDOWN_GRACE_SECONDS and closes its sockets; the orchestrator's stop timeout must be
# longer than that grace (docker-compose.yml sets stop_grace_period).
STOPSIGNAL SIGTERM

# This is what `pnpm start` runs, without its generate step (done above) and without the tsx
# CLI's wrapper process: Node itself is PID 1 and receives SIGTERM directly.
CMD ["node", "--import", "tsx", "src/main.ts"]
