#!/usr/bin/env bash
# The daemon's memory and CPU while monitoring N simulated nodes (1-second slots) for a fixed time.
# Usage: Benchmarks/Monitoring/monitor.sh BIN_DIR NODES SECONDS
# Prints one line: nodes, seconds, RSS (KiB) per role and in total, CPU seconds per role and in total, polls.
set -euo pipefail
bin=$1 nodes=$2 seconds=$3
work=$(mktemp -d /tmp/nm-bench-XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
genesis=$(( $(date +%s) - 400 ))
config=$work/config.toml
: > "$config"
for i in $(seq 1 "$nodes"); do
    rest=$(free_port); metrics=$(free_port)
    "$bin/nimbus-beacon-sim" --network=hoodi --data-dir="$work/sim$i" --rest --rest-port="$rest" --metrics \
        --metrics-port="$metrics" --sim-seconds-per-slot=1 --sim-slots-per-epoch=4 --sim-genesis-time="$genesis" \
        --sim-initial-sync-distance=0 --el=http://127.0.0.1:8551 --doppelganger-detection=false >/dev/null 2>&1 &
    printf '[[nodes]]\nname = "sim%s"\nrest = "http://127.0.0.1:%s"\nmetrics = "http://127.0.0.1:%s"\n\n' \
        "$i" "$rest" "$metrics" >> "$config"
done
"$bin/nimbus-node-manager" --dev --config "$config" --data-dir "$work/nm" --policy-dir "$(dirname "$0")/../../policy" \
    >"$work/daemon.log" 2>&1 &
socket=$work/nm/control.sock
for _ in $(seq 1 100); do "$bin/nimbus" --socket "$socket" status >/dev/null 2>&1 && break; sleep 0.1; done

pids() { "$bin/nimbus" --socket "$socket" status --json | python3 -c \
    'import json,sys; print(" ".join("%s=%s" % (r["role"], r["pid"]) for r in json.load(sys.stdin)["roles"]))'; }
supervisor=$(pgrep -f "nimbus-node-manager --dev --config $config")
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
declare -A start
all="supervisor=$supervisor $(pids)"
for entry in $all; do start[${entry%%=*}]=$(cpu "${entry#*=}"); done
sleep "$seconds"
hz=$(getconf CLK_TCK)
line="nodes=$nodes seconds=$seconds"
total_rss=0 total_cpu=0
for entry in $all; do
    role=${entry%%=*} pid=${entry#*=}
    r=$(rss "$pid"); c=$(( $(cpu "$pid") - start[$role] ))
    total_rss=$((total_rss + r)); total_cpu=$((total_cpu + c))
    line+=" ${role}_rss_kib=$r ${role}_cpu_s=$(awk -v c="$c" -v h="$hz" 'BEGIN {printf "%.2f", c / h}')"
done
polls=$("$bin/nimbus" --socket "$socket" nodes --json | python3 -c \
    'import json,sys; print(sum(1 for n in json.load(sys.stdin)["nodes"] if n["reachable"]))')
line+=" total_rss_kib=$total_rss total_cpu_s=$(awk -v c="$total_cpu" -v h="$hz" 'BEGIN {printf "%.2f", c / h}') nodes_reachable=$polls"
echo "$line"
