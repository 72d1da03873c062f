# One image for the API, the worker and the migrate job (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
# The API streams exports in batches; a heap cap makes V8 collect their garbage instead of
# growing the heap (README → Reports and exports). The worker needs its own, larger heap.
CMD ["node", "--max-old-space-size=256", "dist/api/server.js"]
