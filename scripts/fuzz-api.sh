#!/usr/bin/env bash
# Fuzz the relay's HTTP API from its contract (Protocol/openapi.yaml) with schemathesis, against a
# live relay on 127.0.0.1 with a fresh data directory. Every request of an authenticated run is
# signed (SPEC.md, "Request authentication") by a schemathesis hook (scripts/fuzz/relais_hooks.py)
# over the exact method, target and body bytes sent; one run uses a request session's MAC instead.
#
# Runs, one schemathesis run each, all operations, --checks all:
#   anon            no signature (public routes, and the 401s of the others)
#   operator        the operator device
#   admin           an organisation admin (receives envelopes, has a prekey, 3 envelopes waiting)
#   admin+session   the same admin through a request session (Relais-Session + Relais-MAC)
#   auditor         an auditor (audit-log routes)
#   pending         a redeemed but not yet approved member (only GET /v1/me is allowed)
#
# Environment: FUZZ_MAX_EXAMPLES (default 50 per operation and phase), FUZZ_RUNS (space-separated
# subset of the runs above), FUZZ_SEED (schemathesis seed, for a reproducible run),
# FUZZ_EXCLUDE_CHECKS (e.g. positive_data_acceptance,unsupported_method once triaged), FUZZ_OUT
# (where reports are kept; default a new directory under $TMPDIR), RELAIS_SERVER (the relay binary;
# default .build-bench/release/relais-server, else built into .build-fuzz), STORE=postgres (the
# relay on PostgreSQL: RELAIS_POSTGRES_URL, or a throwaway local server from scripts/with-postgres.sh).
#
# Exit status: 0 if no check failed and no response was a 5xx, 1 otherwise, 2 on a setup error.
# Keys live only in the temporary work directory (mode 0700), removed on exit; nothing prints them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${STORE:-sqlite}" = postgres ] && [ -z "${RELAIS_POSTGRES_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
store_args=()
if [ "${STORE:-sqlite}" = postgres ]; then
  store_args=(--postgres "$(scripts/postgres-schema-url.sh fuzz)")
fi
root=$(pwd)

max_examples=${FUZZ_MAX_EXAMPLES:-50}
runs=${FUZZ_RUNS:-anon operator admin admin+session auditor pending}
out=${FUZZ_OUT:-$(mktemp -d -t relais-fuzz-XXXXXX)}
mkdir -p "$out"

# Python dependencies: schemathesis 4 (the hook API used here) and PyNaCl.
if ! python3 -c 'import nacl, schemathesis, sys; sys.exit(0 if schemathesis.__version__.startswith("4.") else 1)' 2>/dev/null; then
  echo "installing schemathesis and pynacl with pip"
  pkgs=('schemathesis>=4,<5' pynacl)
  python3 -m pip install --quiet --user "${pkgs[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages "${pkgs[@]}" 2>/dev/null \
    || python3 -m pip install --quiet "${pkgs[@]}"
fi

server=${RELAIS_SERVER:-$root/.build-bench/release/relais-server}
if [ ! -x "$server" ]; then
  echo "building relais-server (release) into .build-fuzz"
  swift build -c release --product relais-server --scratch-path .build-fuzz
  server=$root/.build-fuzz/release/relais-server
fi

work=$(mktemp -d -t relais-fuzz-work-XXXXXX)
chmod 700 "$work"
relay_pid=
cleanup() {
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
"$server" --data "$work/data" --listen "127.0.0.1:$port" --rate 1000000 --log-level warning ${store_args[@]+"${store_args[@]}"} \
  > "$out/relay.log" 2>&1 &
relay_pid=$!
for _ in $(seq 1 100); do
  curl -sf "$url/healthz" > /dev/null 2>&1 && break
  kill -0 "$relay_pid" 2>/dev/null || { echo "the relay exited at start; see $out/relay.log" >&2; exit 2; }
  sleep 0.1
done
curl -sf "$url/healthz" > /dev/null || { echo "the relay did not answer on $url" >&2; exit 2; }
echo "relay: $("$server" --version 2>/dev/null || echo '?') on $url; reports in $out"

export PYTHONPATH="$root/scripts/fuzz${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1
python3 "$root/scripts/fuzz/relais_fuzz.py" setup "$url" "$work/data" "$work/keys.json" || exit 2

export SCHEMATHESIS_HOOKS=relais_hooks RELAIS_FUZZ_KEYS="$work/keys.json" RELAIS_FUZZ_URL="$url"
export RELAIS_FUZZ_LOG="$out/calls.jsonl" RELAIS_FUZZ_FAILURES="$out/failures.jsonl"
rm -f "$RELAIS_FUZZ_LOG" "$RELAIS_FUZZ_FAILURES"
extra_args=()
[ -n "${FUZZ_SEED:-}" ] && extra_args=(--seed "$FUZZ_SEED")
[ -n "${FUZZ_EXCLUDE_CHECKS:-}" ] && extra_args+=(--exclude-checks "$FUZZ_EXCLUDE_CHECKS")
rc_all=0
for run in $runs; do
  identity=${run%+session}
  auth=signature
  [ "$run" != "$identity" ] && auth=session
  start=$(date +%s)
  set +e
  # From $out, with no example database: nothing is written into the work tree.
  (cd "$out" && RELAIS_FUZZ_IDENTITY=$identity RELAIS_FUZZ_AUTH=$auth timeout 300 \
    python3 -m schemathesis.cli run "$root/Protocol/openapi.yaml" --url "$url" \
      --checks all --max-examples "$max_examples" --continue-on-failure --no-color --generation-database none \
      --report junit,json --report-dir "$out/$run" "${extra_args[@]}" > "$out/$run.txt" 2>&1)
  rc=$?
  set -e
  [ "$rc" -ne 0 ] && rc_all=1
  cases=$(sed -n 's/^ *\([0-9]* generated.*\)$/\1/p' "$out/$run.txt" | tail -1)
  printf '  %-14s exit %d in %3ds: %s\n' "$run" "$rc" "$(( $(date +%s) - start ))" "${cases:-see $out/$run.txt}"
  [ "$rc" -gt 1 ] && echo "    schemathesis did not finish normally (exit $rc): tail of $out/$run.txt" && tail -5 "$out/$run.txt" | sed 's/^/    /'
  if ! kill -0 "$relay_pid" 2>/dev/null; then echo "the relay died during the $run run; see $out/relay.log" >&2; exit 1; fi
done

echo
set +e
python3 "$root/scripts/fuzz/relais_fuzz.py" report "$out"
report_rc=$?
set -e
internal=$(grep -c 'internal error' "$out/relay.log" || true)
echo "relay log: $internal 'internal error' lines ($out/relay.log); per-operation statuses: $out/coverage.txt;"
echo "schemathesis output per run (with a curl line for each failure): $out/<run>.txt; JUnit/JSON: $out/<run>/"
[ "$report_rc" -ne 0 ] && rc_all=1
exit "$rc_all"
