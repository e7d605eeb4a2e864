#!/usr/bin/env bash
# RELIABILITY.md row 13: the whole test suite under ThreadSanitizer, in its own scratch path
# (.build-tsan; the first build takes about 14 minutes on 2 cores, later ones seconds). Fails on any
# TSan report not in scripts/sanitizers/tsan.supp (known false positives of Synchronization.Mutex on
# Linux, explained there) and on any test failure.
#
#   scripts/sanitize.sh                 # thread sanitizer, whole suite
#   scripts/sanitize.sh RelaisStoreTests  # a filter
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests --sanitize=thread --scratch-path .build-tsan >&2
log=$(mktemp -t relais-tsan-XXXXXX.log)
status=0
TSAN_OPTIONS="halt_on_error=0 suppressions=$(pwd)/scripts/sanitizers/tsan.supp" \
  swift test --skip-build --sanitize=thread --scratch-path .build-tsan ${1:+--filter "$1"} > "$log" 2>&1 || status=$?
reports=$(grep -c "WARNING: ThreadSanitizer" "$log" || true)
grep -E "Test run with" "$log" | tail -1
echo "ThreadSanitizer reports (after suppressions): $reports; log: $log"
if [ "$reports" -gt 0 ]; then
  grep -A12 "WARNING: ThreadSanitizer" "$log" | head -60
  exit 1
fi
# swift test's own status: a failing test (TSan reports alone were counted above).
if ! grep -qE "✔ Test run with .* passed" "$log"; then exit 1; fi
exit 0
