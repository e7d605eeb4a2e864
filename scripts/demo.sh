#!/usr/bin/env bash
# First command of README.md: install what is missing, build, and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product relais
swift build --product relais-server
echo "== relais demo: seal a fictional referral for two devices and open it on each =="
.build/debug/relais demo
echo "== relais-server =="
.build/debug/relais-server --data "$(mktemp -d)" || echo "(relais-server exited with $?: the relay is not implemented yet)"
