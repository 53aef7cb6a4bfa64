# syntax=docker/dockerfile:1
# hybrid-spa-bff production image: build stage (all dependencies, SPA + server build), runtime stage (production
# dependencies only, non-root, read-only-root friendly). test/prod/dockerfile.test.ts runs this file's own COPY/RUN/
# ENV/CMD/HEALTHCHECK steps on the host (no container engine there), so keep to the instructions that test understands:
# FROM [AS], WORKDIR, COPY [--from] [--chown], RUN [--mount] (shell form), ENV k=v, USER, EXPOSE, HEALTHCHECK CMD [...],
# CMD [...] (exec form).
# The image build itself is not tested in this repository (see docs/deployment.md).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no production dependency needs an install script; the npm cache is a build cache mount, not a layer.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The runtime writes nothing to disk (logs go to stdout, state to Redis or memory): --read-only works.
USER node
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/server/healthcheck.js"]
# node directly (not npm): it receives SIGTERM itself and shuts down gracefully.
CMD ["node", "dist/server/main.js"]
