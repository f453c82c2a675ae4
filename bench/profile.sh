#!/usr/bin/env bash
# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later
#
# Profiles QtSocketIo's benchserver under one load-generator scenario, to see where the time or the memory goes.
#
#   bench/profile.sh --build BUILD_DIR --scenario s2 [--tool perf|heaptrack] [--delay S] [--duration S] [-- sioload args]
#
# perf (apt-get install linux-perf): records the server with DWARF call graphs for --duration seconds, starting
# --delay seconds into the scenario, and prints the hottest symbols (self and inclusive). heaptrack: runs the
# whole scenario under heaptrack and prints the peak memory consumers. Use a RelWithDebInfo build for symbols.
# Output files are left in BUILD_DIR/bench-profile/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=""
scenario=s2
tool=perf
delay=3
duration=3
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --tool) tool=$2; shift 2 ;;
    --delay) delay=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '4,12p' "$0"; exit 0 ;;
    *) echo "profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$build" ] || { echo "profile.sh: --build BUILD_DIR is required" >&2; exit 2; }
build=$(cd "$build" && pwd)
bin=$build/bench
out=$build/bench-profile
mkdir -p "$out"
command -v "$tool" >/dev/null || { echo "profile.sh: $tool is missing (apt-get install linux-perf / heaptrack)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

tmp=$(mktemp -d)
server_pid=""
ctl_fd=""
cleanup() {
  if [ -n "$ctl_fd" ]; then exec {ctl_fd}>&-; fi
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

mkfifo "$tmp/ctl"
pin=()
[ "$(nproc)" -ge 2 ] && pin=(taskset -c 1)
if [ "$tool" = heaptrack ]; then
  "${pin[@]}" heaptrack -o "$out/heaptrack.$scenario" "$bin/benchserver" <"$tmp/ctl" >"$tmp/out" 2>"$tmp/err" &
else
  "${pin[@]}" "$bin/benchserver" <"$tmp/ctl" >"$tmp/out" 2>"$tmp/err" &
fi
server_pid=$!
exec {ctl_fd}>"$tmp/ctl"
port=""
for _ in $(seq 100); do
  port=$(awk '/^LISTENING /{print $2; exit}' "$tmp/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "profile.sh: the server did not start" >&2; cat "$tmp/err" >&2; exit 1; }
# The server says its PID (under heaptrack it is a child of the heaptrack script).
target=$(awk '/^LISTENING /{print $3; exit}' "$tmp/out")
target=${target:-$server_pid}

if [ "$tool" = perf ]; then
  ( sleep "$delay"; perf record -F 2000 -g --call-graph dwarf,16384 -p "$target" -o "$out/perf.$scenario.data" \
      -- sleep "$duration" >/dev/null 2>&1 ) &
  perf_pid=$!
fi
"$bin/sioload" --port "$port" --server-pid "$target" --scenario "$scenario" --label qtsocketio "${extra[@]}"
if [ "$tool" = perf ]; then
  wait "$perf_pid" || true
fi
exec {ctl_fd}>&-
ctl_fd=""
for _ in $(seq 100); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""

if [ "$tool" = perf ]; then
  echo "== hottest symbols, self time ($out/perf.$scenario.data)"
  perf report -i "$out/perf.$scenario.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null \
    | grep '%' | sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//' | head -30
  echo "== hottest symbols, inclusive"
  perf report -i "$out/perf.$scenario.data" --children --sort symbol --stdio -g none 2>/dev/null \
    | grep '%' | grep -v '0x0000' | sed -E 's/[[:space:]]+-[[:space:]]+-[[:space:]]*$//' | head -40
else
  echo "== peak memory consumers ($out/heaptrack.$scenario.zst)"
  heaptrack_print -f "$out/heaptrack.$scenario.zst" --print-peaks 1 --print-allocators 0 --print-temporary 0 \
    --print-leaks 0 --peak-limit 15 --sub-peak-limit 2 2>/dev/null | head -200
fi
