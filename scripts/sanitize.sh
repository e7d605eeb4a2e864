#!/usr/bin/env bash
# RELIABILITY.md row 13: the whole test suite under a sanitizer, in its own scratch path
# (.build-tsan or .build-asan; the first build takes about 14 minutes on 2 cores, later ones
# seconds). Fails on any sanitizer report (for ThreadSanitizer: any not in
# scripts/sanitizers/tsan.supp, the known false positives of Synchronization.Mutex on Linux,
# explained there) and on any test failure.
#
#   scripts/sanitize.sh                            # ThreadSanitizer, whole suite
#   scripts/sanitize.sh RelaisStoreTests           # a filter
#   SANITIZER=address scripts/sanitize.sh          # AddressSanitizer (heap, stack and global
#                                                  # overflows, use after free); leak detection off:
#                                                  # the Swift runtime keeps its metadata caches for
#                                                  # the life of the process
#
# Tests that start the relais-server or relais binaries use the ordinary debug build in .build.
set -euo pipefail
cd "$(dirname "$0")/.."
SANITIZER=${SANITIZER:-thread}
case "$SANITIZER" in
  thread) scratch=.build-tsan; marker="WARNING: ThreadSanitizer"; name="ThreadSanitizer (after suppressions)"
          export TSAN_OPTIONS="halt_on_error=0 suppressions=$(pwd)/scripts/sanitizers/tsan.supp" ;;
  address) scratch=.build-asan; marker="ERROR: AddressSanitizer"; name=AddressSanitizer
           export ASAN_OPTIONS="detect_leaks=0 halt_on_error=0" ;;
  *) echo "SANITIZER must be thread or address" >&2; exit 2 ;;
esac
swift build --build-tests --sanitize="$SANITIZER" --scratch-path "$scratch" >&2
log=$(mktemp -t "relais-$SANITIZER-XXXXXX.log")
status=0
# With a throwaway PostgreSQL server, so the PostgreSQL store's suites run under the sanitizer too.
scripts/with-postgres.sh swift test --skip-build --sanitize="$SANITIZER" --scratch-path "$scratch" ${1:+--filter "$1"} > "$log" 2>&1 || status=$?
reports=$(grep -c "$marker" "$log" || true)
grep -E "Test run with" "$log" | tail -1
echo "$name reports: $reports; log: $log"
if [ "$reports" -gt 0 ]; then
  grep -A12 "$marker" "$log" | head -60
  exit 1
fi
# swift test's own status: a failing test (sanitizer reports alone were counted above).
if ! grep -qE "✔ Test run with .* passed" "$log"; then exit 1; fi
exit 0
