# syntax=docker/dockerfile:1
# Leadflow in a container: build once (pnpm build), run the bundle with plain Node as a non-root
# user. The runtime image holds the bundle, the web app's files, the snippet and the server's
# production dependencies only (no sources, no TypeScript toolchain beyond what tsx pulls in).
#   docker build -t leadflow .
#   docker run -p 3000:3000 -v leadflow-data:/data leadflow          # embedded PGlite in /data
#   docker compose up                                                 # with PostgreSQL and Mailpit
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV CI=true
RUN npm install -g pnpm@10.34.9
WORKDIR /src
# every package the lockfile names, cached until the lockfile changes
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# The server's production dependencies alone, in /app, from the manifests and the same lockfile:
# the bundle imports them as ../../../node_modules/.pnpm/<name>@<version>/…, paths that depend
# only on the lockfile, so this tree matches the one the build resolved against.
RUN mkdir -p /app \
 && for f in package.json pnpm-lock.yaml pnpm-workspace.yaml */package.json */*/package.json; do \
      mkdir -p "/app/$(dirname "$f")" && cp "$f" "/app/$f"; \
    done \
 && cd /app && pnpm --filter "@leadflow/server..." install --prod --frozen-lockfile --offline
RUN pnpm install --frozen-lockfile --offline
RUN pnpm build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/scripts/start.mjs ./scripts/start.mjs
COPY --from=build /src/apps/server/dist ./apps/server/dist
COPY --from=build /src/apps/server/src/snippet ./apps/server/src/snippet
COPY --from=build /src/apps/web/dist ./apps/web/dist
# the embedded database's directory, owned by the unprivileged user (unused with DATABASE_URL)
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# liveness only (/healthz never touches the database); compose waits on /readyz
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1 gets SIGTERM: the server finishes a running tick and closes before exiting
STOPSIGNAL SIGTERM
CMD ["node", "scripts/start.mjs"]
