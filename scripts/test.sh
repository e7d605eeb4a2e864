#!/usr/bin/env bash
# Second command of README.md: the whole test suite.
# Build and run are separate steps: `swift test` and `swift build --build-tests` re-plan each other.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --tests
swift build --build-tests
# A throwaway PostgreSQL server for the PostgreSQL store's tests (RELAIS_POSTGRES_URL).
scripts/with-postgres.sh swift test --skip-build "$@"
