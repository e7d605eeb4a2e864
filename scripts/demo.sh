#!/usr/bin/env bash
# First command of README.md: install what is missing, build, start a relay on a fresh embedded
# SQLite data directory (127.0.0.1), run the README story against it, and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product relais-server
swift build --product relais
data=$(mktemp -d -t relais-demo-XXXXXX)
port=${RELAIS_DEMO_PORT:-8443}
echo "== relais-server --data $data --listen 127.0.0.1:$port =="
.build/debug/relais-server --data "$data" --listen "127.0.0.1:$port" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "== relais relay-demo: the README story against the live relay =="
.build/debug/relais relay-demo --relay "http://127.0.0.1:$port" --operator-invite "$data/operator-invite"
echo "== relais demo: the envelope alone, offline =="
.build/debug/relais demo
