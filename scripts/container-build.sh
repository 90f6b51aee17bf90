#!/usr/bin/env bash
# The commands of the Dockerfile's build stage, as one script, so that CI can run exactly them on a
# clean clone (no container engine needed). Steps:
#   1. dependencies as locked, without the optional native TensorFlow binding (the image uses the
#      wasm backend, whose .wasm files ship inside its npm package);
#   2. the production build, stamped with the source fingerprint so `npm start` does not rebuild;
#   3. with --prune: only runtime dependencies (the image);
#   4. with --smoke: the image's command in production mode on an empty data directory must answer
#      GET /health with 200 and no model (what the image's HEALTHCHECK asks).
# Options: --skip-install (dependencies are there already, e.g. in CI after npm ci), --prune, --smoke.
set -euo pipefail
cd "$(dirname "$0")/.."

install=1 prune=0 smoke=0
for arg in "$@"; do
  case "$arg" in
    --skip-install) install=0 ;;
    --prune) prune=1 ;;
    --smoke) smoke=1 ;;
    *) echo "container-build: unknown option $arg (use --skip-install, --prune, --smoke)" >&2; exit 2 ;;
  esac
done

build_dir="${BUILD_DIR:-build}"
export BUILD_DIR="$build_dir"

if [ "$install" = 1 ]; then
  echo "container-build: npm ci"
  npm ci --no-audit --no-fund
fi
# The native binding would take precedence over wasm where its download succeeds; the image runs wasm.
rm -rf node_modules/@tensorflow/tfjs-node

echo "container-build: production build in $build_dir"
NODE_ENV=production node node_modules/@remix-run/dev/dist/cli.js vite:build
node --import tsx scripts/lib/source-fingerprint.ts | tr -d '\n' > "$build_dir/.source-fingerprint"

if [ "$prune" = 1 ]; then
  echo "container-build: runtime dependencies only"
  npm prune --omit=dev --no-audit --no-fund
  rm -rf node_modules/@tensorflow/tfjs-node
fi

if [ "$smoke" = 1 ]; then
  data_dir="$(mktemp -d)"
  port="${SMOKE_PORT:-3990}"
  log="$data_dir/start.log"
  echo "container-build: smoke test: production mode on an empty data directory, port $port"
  TRAJECTWIJZER_DEMO=0 TRAJECTWIJZER_BACKEND=wasm DATA_DIR="$data_dir/data" PORT="$port" NODE_ENV=production \
    node --import tsx scripts/start.ts >"$log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"' EXIT
  health=""
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; echo "container-build: the server stopped" >&2; exit 1; fi
    health="$(node -e "fetch('http://127.0.0.1:$port/health').then(async (r) => { if (r.status === 200) process.stdout.write(await r.text()); }, () => {})")"
    [ -n "$health" ] && break
    sleep 1
  done
  if [ -z "$health" ]; then cat "$log" >&2; echo "container-build: no 200 from /health within 300 tries (a second apart)" >&2; exit 1; fi
  if grep -q "productiebuild maken" "$log"; then echo "container-build: npm start rebuilt the app: the fingerprint stamp did not match" >&2; exit 1; fi
  node -e "const h = JSON.parse(process.argv[1]); if (h.status !== 'ok' || h.model !== null) { console.error('unexpected health: ' + process.argv[1]); process.exit(1); }" "$health"
  echo "container-build: /health answered $health"
fi
echo "container-build: done"
