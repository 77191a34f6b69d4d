#!/usr/bin/env bash
# The whole system without Docker, in the foreground (DESIGN §5a):
# local stack (Kafka + Postgres), import of DATA_DIR, then the projector and
# the API side by side. Ctrl-C stops all of it, the broker included.
set -euo pipefail
# Job control: each service runs in its own process group, so stopping one
# stops pnpm and the node process under it together.
set -m
cd "$(dirname "${BASH_SOURCE[0]}")/.."

children=()
stop() {
  trap - INT TERM EXIT
  echo "start:local: stopping" >&2
  for pid in "${children[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash scripts/stack.sh down
}
trap stop INT TERM EXIT

bash scripts/stack.sh up
# `pnpm import` is pnpm's own command (lockfile import), so the script is run explicitly.
pnpm -s run import
# Each its own metrics port, as in compose.
METRICS_PORT=9465 pnpm -s projector & children+=($!)
METRICS_PORT=9464 pnpm -s api & children+=($!)
echo "start:local: API on http://127.0.0.1:${PORT:-3000} (docs at /docs), metrics on :9464 and :9465 (projector); Ctrl-C stops everything" >&2
# Any child exiting ends the session, so a crash is not hidden behind a running sibling.
wait -n "${children[@]}"
