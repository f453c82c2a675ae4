#!/usr/bin/env bash
# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

# Runs every libFuzzer target of a tests/fuzz build for a bounded time, each on a working copy of its seed corpus
# (tests/fuzz/corpus/<target>), and prints the executions per target. `./dev fuzz [seconds]` builds and calls it.
#   tests/fuzz/run.sh --build DIR [--seconds N] [target...]
# Working corpora stay in DIR/corpus/<target> (they grow from run to run), logs in DIR/logs, and the input of any
# crash, leak or timeout in DIR/artifacts. Exits 1 when a target found something.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=""
seconds=300
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h|--help) sed -n '5,9p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ -n "$build" ] || { echo "run.sh: --build DIR is required" >&2; exit 2; }
case "$seconds" in ''|*[!0-9]*) echo "run.sh: seconds must be a whole number, got '$seconds'" >&2; exit 2 ;; esac
if [ ${#targets[@]} -eq 0 ]; then
  for dir in "$here"/corpus/*/; do
    targets+=("$(basename "$dir")")
  done
fi

mkdir -p "$build/logs" "$build/artifacts"
failed=()
printf '%-20s %10s %12s %8s %10s  %s\n' target seconds executions exec/s corpus result
for name in "${targets[@]}"; do
  binary="$build/fuzz_$name"
  if [ ! -x "$binary" ]; then
    echo "run.sh: $binary is missing (build tests/fuzz first)" >&2
    exit 2
  fi
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  cp -n "$here/corpus/$name"/* "$corpus"/ 2>/dev/null || true   # seeds, without touching the source tree
  log="$build/logs/$name.log"
  status=0
  # -timeout: one input may take at most 10 s; -rss_limit_mb: 2 GB; leaks are reported (ASan's LeakSanitizer).
  "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/artifacts/$name-" "$corpus" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  files=$(find "$corpus" -type f | wc -l)
  if [ $status -eq 0 ]; then
    result=ok
  else
    result="FAILED (exit $status)"
    failed+=("$name")
  fi
  printf '%-20s %10s %12s %8s %10s  %s\n' "$name" "$seconds" "${executions:-?}" "${rate:-?}" "$files" "$result"
done

if [ ${#failed[@]} -gt 0 ]; then
  for name in "${failed[@]}"; do
    echo
    echo "== fuzz_$name found a problem; the end of $build/logs/$name.log:"
    grep -E '^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|    #[0-9])' "$build/logs/$name.log" | tail -n 40 || true
    echo "Replay: $build/fuzz_$name <artifact file>   (then add the input as a unit test row of its codec)"
  done
  exit 1
fi
