# syntax=docker/dockerfile:1
# One image for the worker, the API, migrations and the simulator; the command picks the role.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY activities activities
COPY api api
COPY domain domain
COPY infra infra
COPY migrations migrations
COPY notices notices
COPY routeros routeros
COPY scripts scripts
COPY simulator simulator
COPY store store
COPY worker worker
COPY workflows workflows
COPY emails emails
COPY locales locales
COPY panel panel
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The notice templates are read at run time from beside the compiled code (notices/templates.ts).
COPY emails dist/emails
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
