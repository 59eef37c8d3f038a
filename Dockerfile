# One image per server, built from the repository root; SERVER names the server (its folder
# under servers/):
#   docker build --build-arg SERVER=github -t plugboard/server-github .
# Each server's README says how to run its image. Stdio by default; add `--transport http --host
# 0.0.0.0` and publish MCP_PORT (3000) for HTTP. The build prunes the workspace to the server,
# builds it, packs it as npm would publish it and installs that tarball, so the image runs exactly
# what `npx -y` installs. What a server needs of the system is its own `os-<server>` stage below.
ARG NODE_IMAGE=node:22-slim
ARG SERVER

FROM ${NODE_IMAGE} AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH COREPACK_ENABLE_DOWNLOAD_PROMPT=0
RUN npm install --global --no-audit --no-fund pnpm@10.34.8 turbo@2

FROM base AS prune
ARG SERVER
WORKDIR /repo
COPY . .
RUN test -n "${SERVER}" || { echo 'name the server: --build-arg SERVER=<name>' >&2; exit 1; }
RUN turbo prune @plugboard/server-${SERVER} --docker

FROM base AS build
ARG SERVER
WORKDIR /repo
COPY --from=prune /repo/out/json/ .
RUN pnpm install --frozen-lockfile --ignore-scripts
COPY --from=prune /repo/out/full/ .
# The one LICENSE at the root goes into every tarball (plugboard-license); prune leaves it out.
COPY --from=prune /repo/LICENSE ./LICENSE
RUN turbo run build --filter=@plugboard/server-${SERVER} \
  && pnpm --filter @plugboard/server-${SERVER} pack --pack-destination /pack \
  && pnpm --filter @plugboard/protocol pack --pack-destination /pack

# The servers that call a web API need the CA certificates.
FROM ${NODE_IMAGE} AS web-client
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
  && rm -rf /var/lib/apt/lists/*

FROM ${NODE_IMAGE} AS os-filesystem
RUN mkdir -p /projects && chown node:node /projects
WORKDIR /projects
LABEL org.opencontainers.image.description="Filesystem access for MCP clients, sandboxed to the directories you allow."

FROM web-client AS os-gdrive
WORKDIR /home/node
LABEL org.opencontainers.image.description="Google Drive for MCP clients: search, read Docs, Sheets and Slides, and Shared Drives."

FROM ${NODE_IMAGE} AS os-git
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /projects && chown node:node /projects
WORKDIR /projects
LABEL org.opencontainers.image.description="Git for MCP clients: the daily workflow, confined to the repositories you allow."

FROM web-client AS os-github
WORKDIR /home/node
LABEL org.opencontainers.image.description="GitHub for MCP clients: repositories, issues, pull requests, Actions and more, in toolsets."

FROM ${NODE_IMAGE} AS os-postgres
RUN mkdir -p /data && chown node:node /data
WORKDIR /data
LABEL org.opencontainers.image.description="PostgreSQL for MCP clients: read-only queries the database enforces, schema insight and query plans."

FROM ${NODE_IMAGE} AS os-puppeteer
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation ca-certificates \
  && rm -rf /var/lib/apt/lists/*
# Docker's default seccomp profile keeps Chromium from creating its own sandbox (user
# namespaces), so the browser would not start; the container is the isolation boundary here, and
# PUPPETEER_NO_SANDBOX says so explicitly (the server logs it at launch).
ENV PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_NO_SANDBOX=1
WORKDIR /home/node
LABEL org.opencontainers.image.description="A headless browser for MCP clients, on the system Chromium, that cannot be turned against your network."

FROM web-client AS os-slack
WORKDIR /home/node
LABEL org.opencontainers.image.description="Slack for MCP clients: read, search and post within the channels you allow."

FROM os-${SERVER} AS runtime
ARG SERVER
ENV NODE_ENV=production
COPY --from=build /pack /tmp/pack
# /app/server is the installed package, so the ENTRYPOINT is the same for every server.
RUN mkdir /app && cd /app && echo '{"private":true}' > package.json \
  && npm install --omit=dev --no-audit --no-fund /tmp/pack/*.tgz \
  && ln -s node_modules/@plugboard/server-${SERVER} /app/server \
  && rm -rf /tmp/pack && npm cache clean --force
LABEL io.modelcontextprotocol.server.name="io.github.plugboard/server-${SERVER}" \
  org.opencontainers.image.title="@plugboard/server-${SERVER}" \
  org.opencontainers.image.licenses="MIT"
USER node
ENTRYPOINT ["node", "/app/server/dist/main.js"]
