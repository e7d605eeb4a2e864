#!/usr/bin/env bash
# RELIABILITY.md row 1 at full length: the real relais-server killed with SIGKILL during concurrent
# submits and acknowledgements, ROUNDS times (200 by default), checking after each crash that no
# acknowledged envelope was lost, that no acknowledged deletion came back, that the file passes
# integrity_check and that the audit log is whole (gapless, leaf hashes right, one submission entry
# per envelope and one deletion entry per deleted one). The test suite runs the same test with
# 5 rounds; this script is for before a release and after any change to the store or group commit.
# It runs on SQLite and on PostgreSQL (a throwaway server from scripts/with-postgres.sh, unless
# RELAIS_POSTGRES_URL names one).
#
#   scripts/crash-loop.sh          # 200 rounds (under a minute here)
#   ROUNDS=20 scripts/crash-loop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-200}
swift build --build-tests >&2
RELAIS_KILL_ROUNDS="$ROUNDS" scripts/with-postgres.sh swift test --skip-build --filter "KillNineTests" 2>&1 \
  | grep -E "kill -9|✘|Test run with|recorded an issue"
