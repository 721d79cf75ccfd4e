#!/usr/bin/env bash
# CPU profile of the gateway, and of the baseline for comparison, under single-event ingress; taken by hand, never
# part of compose/load.sh. Uses perf (Debian's linux-perf) on the processes compose/load.sh starts.
# Usage: tests/load/Gateway.Load/profile-ingress.sh [output folder, default /tmp/gateway-profile]
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=${1:-/tmp/gateway-profile}
mkdir -p "$out"
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf; }
# perf names JIT-compiled frames only through the runtime's /tmp/perf-PID.map; code must not sit in W^X double
# mappings (perf would see a deleted memfd), and CoreLib must be JIT-compiled (precompiled R2R code is not in the map).
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0
events=context-switches,task-clock,syscalls:sys_enter_fsync,syscalls:sys_enter_pwrite64,syscalls:sys_enter_sendto
events=$events,syscalls:sys_enter_futex,syscalls:sys_enter_sched_yield
compose/load.sh --phases ingress --runs 1 --duration 30 > "$out/load.txt" 2> "$out/load.log" &
load=$!
wait_for() { until grep -q "$1" "$out/load.log"; do kill -0 "$load" || exit 1; sleep 0.2; done; }
# 5 s into each 30 s phase: 12 s of samples, then 8 s of counts (per request: divide by the sendto count).
profile() {
    sleep 5
    perf record -q -F 999 -g -p "$2" -o "$out/$1.perf.data" -- sleep 12
    perf stat -e "$events" -p "$2" -o "$out/$1.stat.txt" -- sleep 8
}
wait_for 'gateway pid'
gateway=$(sed -n 's/^gateway pid \([0-9]*\).*/\1/p' "$out/load.log")
baseline=$(sed -n 's/^gateway pid [0-9]*, baseline pid \([0-9]*\).*/\1/p' "$out/load.log")
wait_for 'run 1: baseline'
profile baseline "$baseline"
wait_for 'run 1: ingress'
profile gateway "$gateway"
wait "$load"
for name in baseline gateway; do
    perf script -i "$out/$name.perf.data" 2>/dev/null > "$out/$name.perf.txt"
    python3 tests/load/Gateway.Load/perf-buckets.py < "$out/$name.perf.txt" > "$out/$name.parts.txt"
    perf report -i "$out/$name.perf.data" --children --sort sym --stdio -g none 2>/dev/null > "$out/$name.inclusive.txt"
    perf report -i "$out/$name.perf.data" --no-children --sort sym --stdio -g none 2>/dev/null > "$out/$name.exclusive.txt"
done
cat "$out/load.txt"
for name in baseline gateway; do
    echo; echo "== $name"; cat "$out/$name.parts.txt"
    grep -E 'sys_enter|context-switches|task-clock' "$out/$name.stat.txt"
done
