#!/usr/bin/env bash
# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later
#
# Runs every scenario against QtSocketIo's benchserver and the Node.js socket.io reference, alternating,
# --reps times, then prints a table of medians (min-max) with the ratio ours/Node, and writes it to
# <out>/latest.md (raw results: <out>/results.jsonl). `./dev bench` builds everything and calls this.
#
#   bench/run.sh --build BUILD_DIR [--reps N] [--scenarios s1,s2,s3,s3mp,s4ws,s4poll,s5,s6] [--out DIR]
#                [--s6-adapter redis|redis-sharded|redis-streams|postgres] [--s6-adapter-url URL]
#                [--no-micro] [--no-nice] [--quick] [--smoke] [--io-threads N] [--node-cluster]
#                [--server-args "ARGS"] [--admin-ui] [--spread] [-- extra sioload options, e.g. --window 16]
#
# --server-args "ARGS" passes more options to every QtSocketIo benchserver, e.g. "--admin-ui --metrics".
# --admin-ui instruments both sides for the Socket.IO Admin UI (benchserver --admin-ui, nodeserver.mjs --admin-ui:
# @socket.io/admin-ui's instrument()), development mode, no authentication, no UI connected.
#
# --io-threads N adds a third server, qtsocketio-io<N>: benchserver --io-threads N (QSocketIoServer::ioThreadCount).
# --node-cluster adds node-cluster: 2 Node.js workers behind @socket.io/sticky with @socket.io/cluster-adapter
# (server/nodecluster.mjs). The report then has a table of the server's CPU split by thread.
# --spread lets the servers run on every CPU (the load generator stays pinned to CPU 0 and shares it): the servers
# that can use more than one core (--io-threads, --node-cluster) then get the CPU the load generator leaves idle.
#
# s3mp is S3 with socket.io-msgpack-parser's wire format: both servers run with --parser msgpack.
# s6 runs two servers of each kind linked by --s6-adapter (default redis; on a redis-server this script starts on
# a free port unless --s6-adapter-url is given; for postgres, on a PostgreSQL cluster it initialises and starts
# the same way): clients on both, cross-node broadcast
# latency p50/p99 and deliveries/s.
# --smoke is what the test suite runs (CTest bench_smoke): every scenario once per server, 2 s each, small
# counts; it exits 1 when any run failed. Its figures mean nothing.
#
# Needs: BUILD_DIR/bench/{benchserver,sioload,tst_bench_*} (configure with -DQTSOCKETIO_BUILD_BENCHMARKS=ON,
# Release), node, and bench/node_modules (npm ci --prefix bench).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=""
reps=3
scenarios="s1,s2,s3,s3mp,s4ws,s4poll,s5,s6"
s6_adapter=redis
s6_url=""
out=""
micro=1
quick=0
smoke=0
nice=1
extra_load_args=()
io_threads=""
qt_server_args=()
node_cluster=0
spread=0
admin_ui=()

while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-micro) micro=0; shift ;;
    --quick) quick=1; shift ;;
    --smoke) smoke=1; shift ;;
    --no-nice) nice=0; shift ;;
    --s6-adapter) s6_adapter=$2; shift 2 ;;
    --s6-adapter-url) s6_url=$2; shift 2 ;;
    --io-threads) io_threads=$2; shift 2 ;;
    --node-cluster) node_cluster=1; shift ;;
    --spread) spread=1; shift ;;
    --admin-ui) admin_ui=(--admin-ui); shift ;;
    --server-args) read -r -a qt_server_args <<<"$2"; shift 2 ;;
    --) shift; extra_load_args=("$@"); break ;;
    -h|--help) sed -n '4,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$build" ] || { echo "run.sh: --build BUILD_DIR is required" >&2; exit 2; }
build=$(cd "$build" && pwd)
bin=$build/bench
out=${out:-$build/bench-results}
for f in benchserver sioload; do
  [ -x "$bin/$f" ] || { echo "run.sh: $bin/$f is missing: configure with -DQTSOCKETIO_BUILD_BENCHMARKS=ON and build" >&2; exit 1; }
done
command -v node >/dev/null || { echo "run.sh: node is missing (apt-get install nodejs npm)" >&2; exit 1; }
[ -d "$here/node_modules/socket.io" ] || { echo "run.sh: bench/node_modules is missing: npm ci --prefix bench" >&2; exit 1; }

# Enough descriptors for 10,000 connections on each side (the hard limit is as far as we may go).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
nofile=$(ulimit -n)
s1_counts="1000,10000"
if [ "$nofile" != unlimited ] && [ "$nofile" -lt 10400 ]; then
  top=$(( (nofile - 400) / 1000 * 1000 ))
  echo "run.sh: only $nofile file descriptors allowed: S1 stops at $top connections" >&2
  s1_counts="1000,$top"
fi

load_args=()
if [ "$quick" = 1 ]; then
  reps=1
  load_args+=(--warmup-ms 500 --measure-ms 2000 --connects-ws 1000 --connects-polling 500)
  s1_counts="1000,3000"
fi
if [ "$smoke" = 1 ]; then
  reps=1
  micro=0
  load_args+=(--warmup-ms 200 --measure-ms 2000 --connects-ws 200 --connects-polling 100 --receivers 100
              --s1-settle-ms 200)
  s1_counts="100,300"
fi

ncpu=$(nproc)
pin=()
[ "$ncpu" -ge 2 ] && pin=(taskset -c 1)
calibrate_pin=("${pin[@]}")
if [ "$spread" = 1 ]; then
  pin=()
  load_args+=(--spread-server)
fi
# Both servers and the load generator run at a raised priority when allowed (root), so that other work on a shared
# machine disturbs the figures less: each in a session of its own whose autogroup gets nice -10 (with autogroup
# scheduling, the kernel shares CPU time between sessions first, so a plain nice would not reach other sessions),
# and nice -10 inside it. --no-nice turns this off. The "Other CPU" column shows what still ran meanwhile.
prio=()
if [ "$nice" = 1 ] && nice -n -10 true 2>/dev/null; then
  if command -v setsid >/dev/null && [ -w /proc/self/autogroup ]; then
    prio=(setsid sh -c 'echo -10 > /proc/self/autogroup 2>/dev/null; exec "$@"' bench-priority nice -n -10)
  else
    prio=(nice -n -10)
  fi
fi

mkdir -p "$out"
tmp=$(mktemp -d)
results=$out/results.jsonl
: > "$results"
rm -f "$out"/tst_bench_*.txt
server_pid=""
server_port=""
ctl_fd=""
load_pid=""

stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid=$server_pid
  server_pid=""
  # Closing its stdin asks it to stop; SIGTERM makes sure; SIGKILL if it hangs.
  if [ -n "$ctl_fd" ]; then
    exec {ctl_fd}>&-
    ctl_fd=""
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: server $pid did not stop; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

s6_redis_pid=""
s6_pg_pid=""
second_pid=""
second_fd=""
cleanup() {
  stop_second
  if [ -n "$s6_redis_pid" ]; then
    kill -TERM "$s6_redis_pid" 2>/dev/null || true
    wait "$s6_redis_pid" 2>/dev/null || true
  fi
  if [ -n "$s6_pg_pid" ]; then
    # Fast shutdown (the nodes' connections are cut at once), sent to postgres itself: runuser, its parent when
    # run as root, does not pass SIGINT on. Its PID is the first line of postmaster.pid.
    local pg_pid
    pg_pid=$(head -n 1 "$tmp/pg/data/postmaster.pid" 2>/dev/null || true)
    kill -INT "${pg_pid:-$s6_pg_pid}" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$s6_pg_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$s6_pg_pid" ${pg_pid:+"$pg_pid"} 2>/dev/null || true
    wait "$s6_pg_pid" 2>/dev/null || true
  fi
  if [ -n "$load_pid" ]; then
    kill -TERM "$load_pid" 2>/dev/null || true
    wait "$load_pid" 2>/dev/null || true
  fi
  stop_server
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

run_seq=0
start_server() {   # qtsocketio|node [server arguments...]
  local kind=$1
  shift
  run_seq=$((run_seq + 1))
  local ctl=$tmp/ctl.$run_seq
  local log=$tmp/server.$run_seq.out
  mkfifo "$ctl"
  if [ "$kind" = qtsocketio ]; then
    "${prio[@]}" "${pin[@]}" "$bin/benchserver" "$@" "${admin_ui[@]}" "${qt_server_args[@]}" <"$ctl" >"$log" 2>"$tmp/server.$run_seq.err" &
  elif [ "${kind#qtsocketio-io}" != "$kind" ]; then
    "${prio[@]}" "${pin[@]}" "$bin/benchserver" --io-threads "${kind#qtsocketio-io}" "$@" "${admin_ui[@]}" "${qt_server_args[@]}" <"$ctl" >"$log" \
      2>"$tmp/server.$run_seq.err" &
  elif [ "$kind" = node-cluster ]; then
    "${prio[@]}" "${pin[@]}" node "$here/server/nodecluster.mjs" "$@" <"$ctl" >"$log" 2>"$tmp/server.$run_seq.err" &
  else
    "${prio[@]}" "${pin[@]}" node "$here/server/nodeserver.mjs" "$@" "${admin_ui[@]}" <"$ctl" >"$log" 2>"$tmp/server.$run_seq.err" &
  fi
  server_pid=$!
  # Hold the write end of its stdin: when this script ends, however it ends, the server sees EOF and stops.
  exec {ctl_fd}>"$ctl"
  server_port=""
  for _ in $(seq 100); do
    server_port=$(awk '/^LISTENING /{print $2; exit}' "$log")
    if [ -n "$server_port" ]; then
      # The server's own PID (the launch wrappers exec into it, but trust what it says).
      local pid
      pid=$(awk '/^LISTENING /{print $3; exit}' "$log")
      if [ -n "$pid" ] && [ "$pid" != "$server_pid" ] && kill -0 "$pid" 2>/dev/null; then
        server_pid=$pid
      fi
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: the $kind server did not start:" >&2
  cat "$tmp/server.$run_seq.err" >&2 || true
  stop_server
  return 1
}

# S6's second node: started like the first (start_server), its PID and stdin kept apart.
stop_second() {
  [ -n "$second_pid" ] || return 0
  if [ -n "$second_fd" ]; then
    exec {second_fd}>&-
    second_fd=""
  fi
  kill -TERM "$second_pid" 2>/dev/null || true
  for _ in $(seq 50); do
    kill -0 "$second_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$second_pid" 2>/dev/null || true
  wait "$second_pid" 2>/dev/null || true
  second_pid=""
}

# What S6 links the nodes through, unless --s6-adapter-url names it: a redis-server or PostgreSQL of this script's
# own, started on the first call; sets s6_url. Not to be called in a subshell (the PIDs must reach cleanup).
s6_adapter_url() {
  if [ -n "$s6_url" ]; then
    return
  fi
  if [ "$s6_adapter" = postgres ]; then
    if [ -z "$s6_pg_pid" ]; then
      # A PostgreSQL cluster of this script's own, as the test fixture makes one: initdb in the temporary directory
      # (as the postgres user when run as root: initdb and postgres refuse root), fsync off, a free loopback port.
      local pgbin=${PG_BINDIR:-/usr/lib/postgresql/15/bin} as=()
      if [ ! -x "$pgbin/initdb" ]; then
        echo "run.sh: $pgbin/initdb not found (set PG_BINDIR or --s6-adapter-url)" >&2
        return 1
      fi
      mkdir -p "$tmp/pg"
      if [ "$(id -u)" = 0 ]; then
        chown postgres: "$tmp/pg"
        chmod o+x "$tmp"
        as=(runuser -u postgres --)
      fi
      "${as[@]}" "$pgbin/initdb" -D "$tmp/pg/data" -U postgres --auth=trust -E UTF8 --no-sync --locale=C \
        >"$tmp/s6-initdb.log" 2>&1 || { echo "run.sh: initdb failed (see below)" >&2; cat "$tmp/s6-initdb.log" >&2; return 1; }
      s6_pg_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
      "${as[@]}" "$pgbin/postgres" -D "$tmp/pg/data" -c listen_addresses=127.0.0.1 -p "$s6_pg_port" -k "$tmp/pg" \
        -c fsync=off -c synchronous_commit=off >"$tmp/s6-pg.log" 2>&1 &
      s6_pg_pid=$!
      for _ in $(seq 100); do
        grep -q "ready to accept connections" "$tmp/s6-pg.log" && break
        sleep 0.1
      done
    fi
    s6_url="postgres://postgres@127.0.0.1:$s6_pg_port/postgres"
    return
  fi
  if [ -z "$s6_redis_pid" ]; then
    s6_redis_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    redis-server --port "$s6_redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/s6-redis.log" 2>&1 &
    s6_redis_pid=$!
    for _ in $(seq 50); do
      grep -q "Ready to accept connections" "$tmp/s6-redis.log" && break
      sleep 0.1
    done
  fi
  s6_url="redis://127.0.0.1:$s6_redis_port"
}

run_s6() {   # server rep
  local kind=$1 rep=$2
  local fail='{"scenario":"s6","label":"%s","rep":%s,"ok":false,"error":"%s"}\n'
  if ! s6_adapter_url; then
    printf "$fail" "$kind" "$rep" "no adapter URL" >> "$results"
    return
  fi
  local server_args=(--adapter "$s6_adapter" --adapter-url "$s6_url")
  if ! start_server "$kind" "${server_args[@]}"; then
    printf "$fail" "$kind" "$rep" "server did not start" >> "$results"
    return
  fi
  local first_pid=$server_pid first_port=$server_port first_fd=$ctl_fd
  server_pid=""
  ctl_fd=""
  if ! start_server "$kind" "${server_args[@]}"; then
    second_pid=$first_pid
    second_fd=$first_fd
    stop_second
    printf "$fail" "$kind" "$rep" "second server did not start" >> "$results"
    return
  fi
  # The second node is the one start_server just started; the first goes back to server_pid (its CPU is measured).
  second_pid=$server_pid
  second_fd=$ctl_fd
  local second_port=$server_port
  server_pid=$first_pid
  ctl_fd=$first_fd
  local args=(--port "$first_port" --port2 "$second_port" --server-pid "$server_pid" --scenario s6 --label "$kind"
              --rep "$rep" "${load_args[@]}" "${extra_load_args[@]}")
  "${prio[@]}" timeout 300 "$bin/sioload" "${args[@]}" >"$tmp/load.out" 2>"$tmp/load.err" &
  load_pid=$!
  local rc=0
  wait "$load_pid" || rc=$?
  load_pid=""
  local line
  line=$(tail -n 1 "$tmp/load.out")
  if [ -z "$line" ]; then
    line=$(printf '{"scenario":"s6","label":"%s","rep":%s,"ok":false,"error":"load generator exited with %s"}' \
      "$kind" "$rep" "$rc")
  fi
  [ -s "$tmp/load.err" ] && sed 's/^/    /' "$tmp/load.err" >&2
  echo "$line" >> "$results"
  stop_second
  stop_server
  node "$here/report.mjs" --line "$line"
}

run_one() {   # scenario server rep
  local scenario=$1 kind=$2 rep=$3
  local line
  local server_args=()
  [ "$scenario" = s3mp ] && server_args=(--parser msgpack)
  if ! start_server "$kind" "${server_args[@]}"; then
    printf '{"scenario":"%s","label":"%s","rep":%s,"ok":false,"error":"server did not start"}\n' \
      "$scenario" "$kind" "$rep" >> "$results"
    return
  fi
  local args=(--port "$server_port" --server-pid "$server_pid" --scenario "$scenario" --label "$kind" --rep "$rep"
              --s1-counts "$s1_counts" "${load_args[@]}" "${extra_load_args[@]}")
  # In the background and waited for, so that the cleanup can stop it by its PID (it may run in a session of its
  # own, out of reach of the terminal's Ctrl+C); timeout bounds it.
  "${prio[@]}" timeout 300 "$bin/sioload" "${args[@]}" >"$tmp/load.out" 2>"$tmp/load.err" &
  load_pid=$!
  local rc=0
  wait "$load_pid" || rc=$?
  load_pid=""
  line=$(tail -n 1 "$tmp/load.out")
  if [ -z "$line" ]; then
    line=$(printf '{"scenario":"%s","label":"%s","rep":%s,"ok":false,"error":"load generator exited with %s"}' \
      "$scenario" "$kind" "$rep" "$rc")
  fi
  if [ -s "$tmp/load.err" ]; then
    sed 's/^/    /' "$tmp/load.err" >&2
  fi
  echo "$line" >> "$results"
  stop_server
  node "$here/report.mjs" --line "$line"
}

echo "== QtSocketIo vs Node.js socket.io: $reps round(s) of: ${scenarios//,/ }   (results: $out)"
echo "== $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), S1 counts $s1_counts, raised priority: $([ ${#prio[@]} -gt 0 ] && echo yes || echo no), servers on $([ "$spread" = 1 ] && echo "every CPU (--spread)" || echo "CPU 1")"
calibrate() {
  "${prio[@]}" "${calibrate_pin[@]}" node "$here/calibrate.mjs" 2>/dev/null || echo "?"
}
calibration_start=$(calibrate)
echo "== machine speed check: ${calibration_start} ns per JSON round trip in Node on the servers' CPU"
start=$(date +%s)
IFS=, read -r -a scenario_list <<< "$scenarios"
for rep in $(seq "$reps"); do
  for scenario in "${scenario_list[@]}"; do
    # Alternate who goes first, so that a slow drift on the machine does not favour one side.
    if [ $((rep % 2)) = 1 ]; then order=(qtsocketio node); else order=(node qtsocketio); fi
    [ -n "$io_threads" ] && order+=("qtsocketio-io$io_threads")
    [ "$node_cluster" = 1 ] && order+=(node-cluster)
    for kind in "${order[@]}"; do
      if [ "$scenario" = s6 ]; then
        run_s6 "$kind" "$rep"
      else
        run_one "$scenario" "$kind" "$rep"
      fi
    done
  done
done

if [ "$micro" = 1 ]; then
  for t in tst_bench_siopacket tst_bench_engineiopacket; do
    if [ -x "$bin/$t" ]; then
      echo "== micro-benchmark $t"
      "${prio[@]}" "${pin[@]}" "$bin/$t" -median 3 -o "$out/$t.txt,txt" >/dev/null 2>&1 || echo "run.sh: $t failed" >&2
    fi
  done
fi

elapsed=$(( $(date +%s) - start ))
calibration_end=$(calibrate)
qt_version=$(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null | sed 's/[+-].*//' || true)
commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || true)
if [ -n "$commit" ] && [ -n "$(git -C "$here/.." status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit + uncommitted changes"
fi
node "$here/report.mjs" --results "$results" --micro-dir "$out" --elapsed "$elapsed" \
  --loadavg "$(cut -d' ' -f1-3 /proc/loadavg)" --calibration "$calibration_start $calibration_end" --spread "$spread" --meta "Qt ${qt_version:-?}" --meta "QtSocketIo ${commit:-?}" \
  > "$out/latest.md"
echo
cat "$out/latest.md"
echo
echo "== written to $out/latest.md (raw: $results)"
if [ "$smoke" = 1 ]; then
  failed=$(grep -c '"ok":false' "$results" || true)
  total=$(grep -c . "$results" || true)
  expected=$(( ${#scenario_list[@]} * (2 + (${#io_threads} > 0 ? 1 : 0) + node_cluster) ))
  if [ "$failed" != 0 ] || [ "$total" != "$expected" ]; then
    echo "run.sh: smoke run: $failed of $total runs failed ($expected expected)" >&2
    exit 1
  fi
  echo "== smoke run: all $total runs completed"
fi
