# syntax=docker/dockerfile:1
# Safekeep's production image (README, "Running it in production"): the
# dependencies installed in one stage, copied into a clean one that runs as
# the unprivileged `node` user and writes nowhere but /tmp (a tmpfs when the
# root file system is read-only) and the volumes it is given.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only (tsx runs the TypeScript: there is no build step).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=dependencies --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
# Where the checkpoint file goes (a volume); a named volume takes this owner.
RUN mkdir -p /var/lib/safekeep && chown node:node /var/lib/safekeep
# Owned by root, run as node: the process cannot change its own code.
USER node
EXPOSE 3000
# Liveness only: a database outage must take an instance out of rotation
# (/health/ready, the proxy's check), not get it restarted.
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/safekeep.js", "serve"]
