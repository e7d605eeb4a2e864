#!/usr/bin/env bash
# Envelope seal/open benchmark (issue 2): release build of relais-bench, then run it.
# Arguments are passed to relais-bench, e.g.  scripts/bench-envelope.sh --seconds 2
#
# Builds in its own scratch path (.build-bench, gitignored) so that it neither waits on nor
# disturbs a debug build or test run using .build.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product relais-bench --scratch-path .build-bench >&2
exec .build-bench/release/relais-bench "$@"
