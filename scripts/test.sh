#!/usr/bin/env bash
# Second command of README.md: the whole test suite.
# Build and run are separate steps: `swift test` and `swift build --build-tests` re-plan each other.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
