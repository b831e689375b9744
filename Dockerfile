# syntax=docker/dockerfile:1
# One image for both roles of the stay engine: `api` (api/server.ts) and `worker` (worker/main.ts); the compose
# file picks the role with `command`. Multi-stage: the build stage bundles the workflows once (and the web app, when
# the project has one); the runtime stage holds production dependencies only and runs as the unprivileged `node` user.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No Temporal binaries in the image: it always talks to a Temporal service of its own (TEMPORAL_ADDRESS).
ENV TEMPORAL_SKIP_INSTALL=1 \
    BROWSER_SKIP_INSTALL=1
COPY . .
RUN npm ci --no-audit --no-fund
# dist/workflow-bundle.js + its manifest (the @temporalio/worker version that built it; the worker refuses others).
RUN npm run build:workflow-bundle \
 && npm run --if-present build:ui \
 && mkdir -p ui/dist

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the runtime needs no install step (prebuilt native modules, no bundler, no Temporal binaries).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
# Code and dependencies belong to root and are read-only for the process; only DATA_DIR is writable.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/activities ./activities
COPY --from=build /app/api ./api
COPY --from=build /app/config ./config
COPY --from=build /app/migrations ./migrations
COPY --from=build /app/rules ./rules
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/worker ./worker
COPY --from=build /app/workflows ./workflows
COPY --from=build /app/dist ./dist
COPY --from=build /app/ui/dist ./ui/dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# 3000: the API (and /health, /ready, /live, /metrics); 9464: the worker's Temporal SDK Core metrics.
EXPOSE 3000 9464
CMD ["node", "--import", "tsx", "api/server.ts"]
