# Trajectwijzer in production mode (TRAJECTWIJZER_DEMO=0): no demo accounts, no synthetic data, no
# demo model. README "Production installation" says how to create the first administrator and import
# a model. The build stage runs scripts/container-build.sh, which CI also runs on a clean clone.
#
#   docker build -t trajectwijzer .
#   docker run -p 3000:3000 -v trajectwijzer-data:/data trajectwijzer

# ---- build: dependencies, production build, then only runtime dependencies ----------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN bash scripts/container-build.sh --prune

# ---- runtime ------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TRAJECTWIJZER_DEMO=0 \
    TRAJECTWIJZER_BACKEND=wasm \
    DATA_DIR=/data \
    PORT=3000 \
    NPM_CONFIG_CACHE=/tmp/.npm \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# A user without a login shell or write access to the app; only /data is its own.
RUN groupadd --system --gid 10001 trajectwijzer \
 && useradd --system --uid 10001 --gid trajectwijzer --home-dir /data --shell /usr/sbin/nologin trajectwijzer \
 && mkdir -p /data/models \
 && chown -R trajectwijzer:trajectwijzer /data \
 && chmod -R 0700 /data
WORKDIR /app
COPY --from=build /app /app
USER trajectwijzer
# The database (SQLite; or set DATABASE_URL to PostgreSQL), secrets (.env), models and imports.
VOLUME ["/data"]
EXPOSE 3000
# 200 while the database answers (also before a model is imported); 503 when not, or while stopping.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as the main process, so SIGTERM reaches the server's graceful shutdown.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
