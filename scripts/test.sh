#!/usr/bin/env bash
# npm test: typecheck, lint, unit tests, browser tests. The typecheck (one core for most of a minute)
# and the lint need nothing from the tests, so they run beside the unit tests at a lower priority
# instead of before them; the result waits for all four. The typecheck reads the Prisma clients that
# npm ci's postinstall generated (`npm run typecheck` regenerates them first, which must not happen
# while the unit tests import them).
set -uo pipefail
cd "$(dirname "$0")/.."
checks_log="$(mktemp)"
(
  status=0
  nice -n 10 npx tsc --noEmit || status=$?
  nice -n 10 npm run lint || status=$?
  exit "$status"
) >"$checks_log" 2>&1 &
checks_pid=$!
tests_status=0
{ npm run test:unit && npm run test:e2e; } || tests_status=$?
checks_status=0
wait "$checks_pid" || checks_status=$?
echo "--- typecheck and lint ---"
cat "$checks_log"
rm -f "$checks_log"
[ "$checks_status" -eq 0 ] || { echo "npm test: the typecheck or lint failed (exit $checks_status)" >&2; exit "$checks_status"; }
exit "$tests_status"
