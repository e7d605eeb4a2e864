#!/usr/bin/env bash
# Audit benchmark (issue 6): `relais audit verify` over a log of N entries (default 1,000,000)
# served by a release-built relay on 127.0.0.1. The entries are synthetic acknowledgements
# written straight into the relay's SQLite file (canonical JSON, as the relay writes them):
# enrolling a million real events through the API would measure enrolment, not verification.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
swift build -c release --product relais-server --scratch-path .build-bench
swift build -c release --product relais --scratch-path .build-bench
bin=.build-bench/release
work=$(mktemp -d -t relais-audit-bench-XXXXXX)
port=${RELAIS_BENCH_PORT:-18480}
url="http://127.0.0.1:$port"
export RELAIS_PASSPHRASE="audit benchmark passphrase"
start_server() {
  "$bin/relais-server" --data "$work/relay" --listen "127.0.0.1:$port" --rate 100000 --log-level error > /dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 200); do curl -sf "$url/healthz" > /dev/null 2>&1 && return; sleep 0.1; done
  echo "relay did not start" >&2; exit 1
}
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
start_server
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
"$bin/relais" init --relay "$url" --profile "$work/op" > /dev/null
"$bin/relais" enrol --operator "$(cat "$work/relay/operator-invite")" --profile "$work/op" > /dev/null
invite=$("$bin/relais" admin invite --role auditor --json --profile "$work/op" | field invite)
"$bin/relais" init --relay "$url" --profile "$work/auditor" > /dev/null
"$bin/relais" enrol "$invite" --profile "$work/auditor" > /dev/null
id=$("$bin/relais" fingerprint --json --profile "$work/auditor" | field deviceId)
fp=$("$bin/relais" fingerprint --json --profile "$work/auditor" | field fingerprint)
"$bin/relais" admin approve "$id" --fingerprint "$fp" --profile "$work/op" > /dev/null
kill $server; wait $server 2>/dev/null || true
python3 - "$work/relay/relais.sqlite" "$N" <<'PY'
import hashlib, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
base = db.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log").fetchone()[0]
def rows():
    for i in range(n):
        entry = json.dumps({"device": "%032x" % (i % 1000), "envelope": "%032x" % i, "kind": "envelopeAcknowledged",
                            "time": 1800000000 + i, "version": 1}, sort_keys=True, separators=(",", ":")).encode()
        yield (base + i, entry, hashlib.sha256(b"\x00" + entry).digest())
db.executemany("INSERT INTO audit_log (seq, entry, leaf_hash) VALUES (?, ?, ?)", rows())
db.commit()
print("log entries:", db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])
PY
start_server
echo "relais audit verify over the log (release, loopback; includes the relay building its tree on the first checkpoint):"
/usr/bin/time -f "wall %e s, max RSS %M KiB" "$bin/relais" audit verify --profile "$work/auditor"
