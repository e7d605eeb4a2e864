#!/usr/bin/env bash
# Relay load benchmark (issue 3): in one run, on 127.0.0.1 only,
#   1. a bare Hummingbird server answering 4 KiB POSTs (the baseline),
#   2. the relay (relais-server, release, SQLite with synchronous=FULL on a fresh data folder, or PostgreSQL):
#      authenticated durable submits (in a request session or each signed: AUTH; envelope ~4 KiB, all under one published
#      consent), then fetch+ack by the recipient device,
# each driven by wrk with the same Lua replay script and the same connections, then prints one table.
#
#   scripts/bench-relay.sh                      # defaults below
#   SUBMITS=5000 scripts/bench-relay.sh         # shorter
#   AUTH=signature scripts/bench-relay.sh       # every relay request signed with Ed25519 (default: a request session)
#   DATA_PARENT=/dev/shm scripts/bench-relay.sh # relay data on tmpfs: fsync costs nothing (diagnosis only)
#   SKIP_BUILD=1 scripts/bench-relay.sh         # reuse .build-bench/release/{relais-server,relais-load}
#   PERF=1 scripts/bench-relay.sh               # also: server CPU µs, context switches, fsyncs and bytes written
#                                               #   (write calls: sockets and files) per request (perf stat, /proc/PID/io)
#   PERF_RECORD=1 scripts/bench-relay.sh        # also: perf record -g of the server during each relay run,
#                                               #   reports in .build-bench/perf-NAME.txt (diagnosis)
#   PROBES=1 scripts/bench-relay.sh             # also: GET /healthz, signed GET /v1/me and /v1/devices/ID (cost split)
#   CEILING=1 scripts/bench-relay.sh            # also: the bare server made durable (ceilings for the relay, diagnosis):
#                                               #   each 4,281-byte POST appended to a file and fdatasynced, inserted in a one-table
#                                               #   SQLite file (GRDB, WAL, FULL), each with group commit, and each stored by
#                                               #   SQLiteRelayStore (no authentication, validation, OpenAPI)
#   STORE=postgres scripts/bench-relay.sh       # the relay on PostgreSQL: RELAIS_POSTGRES_URL (a schema of its own),
#                                               #   or a throwaway local server (scripts/with-postgres.sh)
#
# Every wrk run stops by itself after its fixed number of requests, or after MAX_SECONDS at most;
# both servers are stopped (by their pid) and the temporary folder removed on exit. The load
# generator and the servers share this machine's cores: see BENCHMARKS.md.
#
# Builds in its own scratch path (.build-bench, gitignored), like scripts/bench-envelope.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}       # wrk connections (all phases)
THREADS=${THREADS:-2}                # wrk threads: 1 cannot saturate the bare server
BARE_REQUESTS=${BARE_REQUESTS:-150000}
SUBMITS=${SUBMITS:-20000}            # measured submits; as many fetches and acks follow
WARMUP=${WARMUP:-2000}               # un-measured requests before the bare run and the submit run
REFERRAL_BYTES=${REFERRAL_BYTES:-3900}  # fills the 4 KiB size class: envelope ~4.3 KB
BODY_BYTES=${BODY_BYTES:-4096}       # bare POST body
MAX_SECONDS=${MAX_SECONDS:-90}       # upper bound of each wrk run (the signed submits go stale 120 s after prepare)
BARE_PORT=${BARE_PORT:-18181}
RELAY_PORT=${RELAY_PORT:-18443}
DATA_PARENT=${DATA_PARENT:-${TMPDIR:-/tmp}}
AUTH=${AUTH:-session}                # session: one signed request opens a session, then a MAC per request; signature: Ed25519 per request
STORE=${STORE:-sqlite}               # sqlite (a fresh file in the data folder) or postgres
if [ "$STORE" = postgres ] && [ -z "${RELAIS_POSTGRES_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
STORE_ARGS=()
if [ "$STORE" = postgres ]; then
  STORE_ARGS=(--postgres "$(scripts/postgres-schema-url.sh bench)")
fi

if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing wrk" >&2
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >&2
fi

if [ "${PERF:-0}" = 1 ] && ! command -v perf >/dev/null; then
  echo "PERF=1 needs perf (Debian: linux-perf); going on without it" >&2; PERF=0
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then  # SKIP_BUILD=1 reuses the binaries already in .build-bench/release
  swift build -c release --product relais-server --scratch-path .build-bench >&2
  swift build -c release --product relais-load --scratch-path .build-bench >&2
fi
BIN=.build-bench/release

WORK=$(mktemp -d "${DATA_PARENT%/}/relais-bench.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The replay script: each wrk thread reads its file (records "length\n" + raw request), sends each
# request once, counts non-2xx answers, and stops when every one of its requests has been answered.
cat > "$WORK/replay.lua" <<'LUA'
-- wrk's own duration is the whole -d (its main thread sleeps that long), so the script times
-- itself: from the first request sent to the last answer, on CLOCK_MONOTONIC. When every thread
-- has all its answers, it wakes wrk's main thread (SIGINT, which wrk handles as "stop now").
-- wrk runs each thread's init() (which reads the thread's file) on its main thread, one thread
-- after the other, and starts each thread as soon as its init is done: so every thread waits,
-- before its first request, until all the inits are done (a barrier), and they start together.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *tp);
unsigned long pthread_self(void);
int pthread_kill(unsigned long thread, int sig);
void *calloc(size_t n, size_t size);
int usleep(unsigned int usec);
]]
local ts = ffi.new("bench_timespec")
local function now() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9 end

threads = {}
requests_n, sent, answered, non2xx, first_sent, last_answer = 0, 0, 0, 0, 0, 0
statuses = {}  -- non-2xx status → count
local reqs, ready, finished, main_thread, nthreads, started = {}, nil, nil, nil, 1, false

function setup(thread)
  if not shared then shared = ffi.C.calloc(128, 4) end  -- per thread: a "ready" flag, then a "finished" flag
  table.insert(threads, thread)
  thread:set("tid", #threads)
  thread:set("shared_address", tonumber(ffi.cast("uintptr_t", shared)))
end

-- args: THREADS "file" PREFIX       -> PREFIX.<tid>
--       THREADS "bare" BYTES COUNT  -> COUNT identical POST /bench with a BYTES body
function init(args)
  main_thread = ffi.C.pthread_self()  -- init runs on wrk's main thread
  ready = ffi.cast("volatile int *", shared_address)
  finished = ready + 64
  nthreads = tonumber(args[1])
  if args[2] == "bare" then
    local r = wrk.format("POST", "/bench", { ["Content-Type"] = "application/octet-stream" }, string.rep("x", tonumber(args[3])))
    requests_n = tonumber(args[4])
    for i = 1, requests_n do reqs[i] = r end
  else
    local f = assert(io.open(args[3] .. "." .. tid, "rb"))
    while true do
      local line = f:read("*l")
      if not line then break end
      requests_n = requests_n + 1
      reqs[requests_n] = f:read(tonumber(line))
    end
    f:close()
  end
  ready[tid - 1] = 1
end

-- wrk calls request() once on the first thread before it starts, to check the request it
-- returns (script_verify_request): that call must not use up a request.
local verified = false
function request()
  if tid == 1 and not verified then verified = true; return reqs[1] end
  if sent >= requests_n then return "" end  -- nothing left: this connection stays idle
  if not started then  -- the barrier (bounded: 120 s)
    for _ = 1, 600000 do
      local all = true
      for i = 0, nthreads - 1 do all = all and ready[i] == 1 end
      if all then break end
      ffi.C.usleep(200)
    end
    started = true
  end
  if sent == 0 then first_sent = now() end
  sent = sent + 1
  return reqs[sent]
end

function response(status, headers, body)
  answered = answered + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
  if answered >= requests_n then
    last_answer = now()
    finished[tid - 1] = 1
    local all = true
    for i = 0, nthreads - 1 do all = all and finished[i] == 1 end
    if all and last_answer - first_sent > 0.05 then ffi.C.pthread_kill(main_thread, 2) end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local planned, got, bad, codes, t0, t1 = 0, 0, 0, {}, math.huge, 0
  for _, t in ipairs(threads) do
    planned = planned + t:get("requests_n"); got = got + t:get("answered"); bad = bad + t:get("non2xx")
    for code, n in pairs(t:get("statuses")) do codes[code] = (codes[code] or 0) + n end
    t0 = math.min(t0, t:get("first_sent"))
    local last = t:get("last_answer")
    if last == 0 then last = t0 + summary.duration / 1e6 end  -- stopped by -d before the end
    t1 = math.max(t1, last)
  end
  local list = {}
  for code, n in pairs(codes) do table.insert(list, code .. "x" .. n) end
  if #list == 0 then list = { "none" } end
  local e = summary.errors
  local seconds = t1 - t0
  io.write(string.format("RESULT planned=%d answered=%d seconds=%.3f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d non2xx_statuses=%s wrk_seconds=%.3f\n",
    planned, got, seconds, got / seconds, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad, e.connect, e.read, e.write, e.timeout, table.concat(list, ","),
    summary.duration / 1e6))
end
LUA

wait_port() {  # bounded: 200 × 0.05 s
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# CPU accounting around a run: machine (all of /proc/stat) and the server process.
NCPU=$(nproc)
cpu_mark() {  # sets M_TOTAL M_IDLE M_IOWAIT S_TICKS
  read -r _ u n s i w q sq st _ < /proc/stat
  M_TOTAL=$((u + n + s + i + w + q + sq + st)); M_IDLE=$((i + w)); M_IOWAIT=$w
  S_TICKS=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
  S_WCHAR=$(awk '$1 == "wchar:" {print $2}' "/proc/$SERVER_PID/io" 2>/dev/null || echo 0)
}
cpu_report() {  # after a run: sets CPU_LINE="server_cores=… busy_cores=… iowait_cores=…" and CPU_DT (jiffies, all CPUs)
  local t0=$M_TOTAL i0=$M_IDLE w0=$M_IOWAIT s0=$S_TICKS
  cpu_mark
  CPU_DT=$((M_TOTAL - t0))
  CPU_LINE=$(awk -v dt=$CPU_DT -v di=$((M_IDLE - i0)) -v dw=$((M_IOWAIT - w0)) -v ds=$((S_TICKS - s0)) -v n="$NCPU" \
    'BEGIN { w = dt / n; printf "server_cores=%.2f busy_cores=%.2f iowait_cores=%.2f\n", ds / w, (dt - di) / w, dw / w }')
}

children_cpu() {  # sets CHILD_CPU: user+system seconds of this shell's finished children (`times`, 2nd line)
  times > "$WORK/times"  # in this shell, not in a $(…) subshell, whose children are its own
  CHILD_CPU=$(sed -n 2p "$WORK/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}

# run NAME URL ARGS…: one wrk run; appends "NAME <RESULT fields> <cpu fields>" to $WORK/results.
# CPU, in cores over the run: server_cores (the server process), wrk_cores (the load generator),
# busy_cores (the whole machine); other_cores = busy - server - wrk is anything else running.
run() {
  local name=$1 url=$2; shift 2
  children_cpu; local c0=$CHILD_CPU
  local perf_pid=""
  if [ "${PERF:-0}" = 1 ]; then  # PERF=1: the server's CPU time, context switches and fsyncs, per request
    perf stat -x, -e task-clock,context-switches,syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync \
      -p "$SERVER_PID" -o "$WORK/perf-$name.txt" & perf_pid=$!
    sleep 0.3
  fi
  local record_pid=""
  if [ "${PERF_RECORD:-0}" = 1 ] && [ "$name" != bare ] && [ "$name" != bare-warmup ]; then
    perf record -F 999 -g -p "$SERVER_PID" -o ".build-bench/perf-$name.data" 2>/dev/null & record_pid=$!
    sleep 0.3
  fi
  cpu_mark
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${MAX_SECONDS}s" --timeout 10s -s "$WORK/replay.lua" "$url" -- "$THREADS" "$@" > "$WORK/wrk-$name.txt"
  local w0=$S_WCHAR
  cpu_report; local cpu=$CPU_LINE
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    local n; n=$(sed -n 's/^RESULT.* answered=\([0-9]*\).*/\1/p' "$WORK/wrk-$name.txt")
    cpu="$cpu $(awk -F, -v n="$n" '$3 == "task-clock" { t = $1 } $3 == "context-switches" { c = $1 } $3 ~ /fdatasync|fsync/ { f += $1 }
      END { printf "server_us_per_req=%.0f switches_per_req=%.1f req_per_fsync=%.1f", t * 1000 / n, c / n, (f > 0 ? n / f : 0) }' "$WORK/perf-$name.txt")"
    cpu="$cpu written_kib_per_req=$(awk -v a="$w0" -v b="$S_WCHAR" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / 1024 / n }')"
  fi
  if [ -n "$record_pid" ]; then
    kill -INT "$record_pid"; wait "$record_pid" 2>/dev/null || true
    perf report -i ".build-bench/perf-$name.data" --stdio --no-children --percent-limit 0.5 -g none --sort dso,symbol \
      > ".build-bench/perf-$name.txt" 2>/dev/null || true
  fi
  children_cpu; local c1=$CHILD_CPU
  local wrk_cores; wrk_cores=$(awk -v a="$c0" -v b="$c1" -v dt="$CPU_DT" -v n="$NCPU" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", (b - a) / (dt / n / hz) }')
  local other; other=$(echo "$cpu" | awk -v w="$wrk_cores" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } \
    printf "%.2f", v["busy_cores"] - v["server_cores"] - w }')
  local result; result=$(grep '^RESULT' "$WORK/wrk-$name.txt" | sed 's/^RESULT //')
  echo "$name $result $cpu wrk_cores=$wrk_cores other_cores=$other" | tee -a "$WORK/results" >&2
}

per_thread() { echo $(( ($1 + THREADS - 1) / THREADS )); }

# Anything else running skews every figure: measure the machine for 2 s before starting.
SERVER_PID=$$; cpu_mark; sleep 2; cpu_report; BACKGROUND=$(echo "$CPU_LINE" | sed 's/.*busy_cores=\([0-9.]*\).*/\1/'); SERVER_PID=""
echo "background load before the run: $BACKGROUND cores busy of $NCPU" >&2

# 1. Baseline: bare Hummingbird, 4 KiB POST.
"$BIN/relais-load" bare-server --port "$BARE_PORT" --max-seconds 600 > "$WORK/bare.log" 2>&1 &
SERVER_PID=$!
wait_port "$BARE_PORT"
run bare-warmup "http://127.0.0.1:$BARE_PORT" bare "$BODY_BYTES" "$(per_thread "$WARMUP")"
run bare "http://127.0.0.1:$BARE_PORT" bare "$BODY_BYTES" "$(per_thread "$BARE_REQUESTS")"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

# 1b. CEILING=1: the same bare server, each POST (an envelope's size) made durable before the answer.
if [ "${CEILING:-0}" = 1 ]; then
  for mode in file sqlite store; do
    mkdir -p "$WORK/ceiling-$mode"
    "$BIN/relais-load" bare-server --port "$BARE_PORT" --max-seconds 600 --durable "$mode" --dir "$WORK/ceiling-$mode" > "$WORK/bare-$mode.log" 2>&1 &
    SERVER_PID=$!
    wait_port "$BARE_PORT"
    run "bare-$mode-warmup" "http://127.0.0.1:$BARE_PORT" bare 4281 "$(per_thread "$WARMUP")"
    run "bare-$mode" "http://127.0.0.1:$BARE_PORT" bare 4281 "$(per_thread "$SUBMITS")"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    rm -rf "$WORK/ceiling-$mode"
  done
fi

# 2. The relay on a fresh data folder; per-device rate limit lifted (--rate) for the benchmark.
"$BIN/relais-server" --data "$WORK/data" --listen "127.0.0.1:$RELAY_PORT" --rate 1000000 --log-level notice ${STORE_ARGS[@]+"${STORE_ARGS[@]}"} \
  > "$WORK/relay.log" 2>&1 &
SERVER_PID=$!
wait_port "$RELAY_PORT"
RELAY="http://127.0.0.1:$RELAY_PORT"
"$BIN/relais-load" prepare --relay "$RELAY" --operator-invite "$WORK/data/operator-invite" --count "$SUBMITS" --warmup "$WARMUP" \
  --referral-bytes "$REFERRAL_BYTES" --shards "$THREADS" --out "$WORK/req" --auth "$AUTH" >&2
[ "$WARMUP" -gt 0 ] && run submit-warmup "$RELAY" file "$WORK/req/warmup"
run submit "$RELAY" file "$WORK/req/submit"
[ "${PERF:-0}" = 1 ] && [ "$STORE" = sqlite ] && echo "after the submits: $(du -cb "$WORK"/data/relais.sqlite* | tr '\n' ' ')" >&2
rm -f "$WORK"/req/warmup.* "$WORK"/req/submit.*
"$BIN/relais-load" sign-fetch --relay "$RELAY" --dir "$WORK/req" --auth "$AUTH" >&2
run fetch-ack "$RELAY" file "$WORK/req/fetchack"
if [ "${PROBES:-0}" = 1 ]; then  # PROBES=1: where a request's cost goes (diagnosis)
  "$BIN/relais-load" sign-probe --relay "$RELAY" --dir "$WORK/req" --target /healthz --unsigned --count "$SUBMITS" --shards "$THREADS" --name healthz >&2
  run probe-healthz "$RELAY" file "$WORK/req/healthz"
  "$BIN/relais-load" sign-probe --relay "$RELAY" --dir "$WORK/req" --target /v1/me --count "$SUBMITS" --shards "$THREADS" --name me >&2
  run probe-me "$RELAY" file "$WORK/req/me"
  "$BIN/relais-load" sign-probe --relay "$RELAY" --dir "$WORK/req" --target '/v1/devices/{recipient}' --count "$SUBMITS" --shards "$THREADS" --name device >&2
  run probe-device "$RELAY" file "$WORK/req/device"
fi
DB_BYTES=0; [ "$STORE" = sqlite ] && DB_BYTES=$(du -cb "$WORK"/data/relais.sqlite* | tail -1 | cut -f1)
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
GROUP_COMMIT=$(sed -n 's/.*statistics=\(.*\) \[relais_server\] group commit$/\1/p' "$WORK/relay.log" | tail -1)

# 3. The table.
field() { grep "^$1 " "$WORK/results" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
bare_rps=$(field bare rps)
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(swift --version 2>/dev/null | head -1)"
echo "wrk $THREADS thread(s), $CONNECTIONS connections, loopback; load generator and server share the cores"
echo "background load before the run: $BACKGROUND cores busy (should be ~0)"
echo "requests authenticated by: $AUTH (session: HMAC-SHA-256 under a request-session key; signature: Ed25519 per request)"
if [ "$STORE" = postgres ]; then
  echo "relay: --rate 1000000, PostgreSQL $(psql --version | awk '{print $3}') (synchronous_commit=on, fsync=on; its own processes: not in the relay's CPU and I/O figures); referral $REFERRAL_BYTES B"
else
  echo "relay: --rate 1000000, SQLite WAL synchronous=FULL, data in $DATA_PARENT; referral $REFERRAL_BYTES B; database after the run: $DB_BYTES B"
fi
echo "relay group commit over all its runs: ${GROUP_COMMIT:-not reported}"
echo
printf "| %-40s | %11s | %7s | %7s | %7s | %7s | %6s | %6s | %6s | %6s |\n" "run" "requests" "req/s" "p50 ms" "p99 ms" "max ms" "errors" "server" "wrk" "other"
printf "|%s|%s:|%s:|%s:|%s:|%s:|%s:|%s:|%s:|%s:|\n" "$(printf -- '-%.0s' {1..42})" "------------" "--------" "--------" "--------" "--------" "-------" "-------" "-------" "-------"
NAMES="bare submit fetch-ack"; [ "${CEILING:-0}" = 1 ] && NAMES="bare bare-file bare-sqlite bare-store submit fetch-ack"
[ "${PROBES:-0}" = 1 ] && NAMES="$NAMES probe-healthz probe-me probe-device"
for name in $NAMES; do
  answered=$(field "$name" answered); planned=$(field "$name" planned)
  errors=$(( planned - answered + $(field "$name" non2xx) + $(field "$name" connect) + $(field "$name" read) + $(field "$name" write) + $(field "$name" timeout) ))
  case $name in
    bare) label="bare Hummingbird POST ${BODY_BYTES} B" ;;
    bare-file) label="ceiling: bare + file append, fdatasync" ;;
    bare-sqlite) label="ceiling: bare + one SQLite insert" ;;
    bare-store) label="ceiling: bare + SQLiteRelayStore" ;;
    submit) label="relay submit (durable; $AUTH)" ;;
    fetch-ack) label="relay fetch + ack ($AUTH)" ;;
    probe-healthz) label="probe: GET /healthz (unsigned, no store)" ;;
    probe-me) label="probe: GET /v1/me (signed)" ;;
    probe-device) label="probe: GET /v1/devices/ID (signed)" ;;
  esac
  printf "| %-40s | %11s | %7s | %7s | %7s | %7s | %6s | %6s | %6s | %6s |\n" "$label" "$answered/$planned" "$(field "$name" rps)" \
    "$(field "$name" p50_ms)" "$(field "$name" p99_ms)" "$(field "$name" max_ms)" "$errors" "$(field "$name" server_cores)" \
    "$(field "$name" wrk_cores)" "$(field "$name" other_cores)"
done
if [ "${PERF:-0}" = 1 ]; then
  echo
  echo "| run | server CPU µs/request | server context switches/request | requests per fsync | KiB written per request |"
  echo "|---|---:|---:|---:|---:|"
  for name in $NAMES; do
    echo "| $name | $(field "$name" server_us_per_req) | $(field "$name" switches_per_req) | $(field "$name" req_per_fsync) | $(field "$name" written_kib_per_req) |"
  done
fi
submit_rps=$(field submit rps); fa_rps=$(field fetch-ack rps)
all_errors=0
for name in $NAMES; do
  all_errors=$(( all_errors + $(field "$name" planned) - $(field "$name" answered) + $(field "$name" non2xx) + $(field "$name" connect) \
    + $(field "$name" read) + $(field "$name" write) + $(field "$name" timeout) ))
done
awk -v b="$bare_rps" -v s="$submit_rps" -v f="$fa_rps" -v sp="$(field submit p99_ms)" -v fp="$(field fetch-ack p99_ms)" -v e="$all_errors" '
  function verdict(ok) { return ok ? "met" : "MISSED" }
  BEGIN {
    printf "\nsubmits/s = %.1f %% of bare POST/s; fetch+ack pairs/s = %.0f\n", 100 * s / b, f / 2
    printf "targets: submits >= 40 %% of bare: %s; p99 < 25 ms (submit %.1f, fetch+ack %.1f): %s; zero errors (%d): %s\n",
      verdict(s >= 0.4 * b), sp, fp, verdict(sp < 25 && fp < 25), e, verdict(e == 0)
  }'
echo "(server, wrk, other: cores used during the run by the server process, by wrk, by anything else; of $(nproc))"
