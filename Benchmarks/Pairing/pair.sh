#!/usr/bin/env bash
# Pairing latency on loopback: a dev daemon (Waku service node on 127.0.0.1), `nimbus remote invite --dev` as the
# device, `nimbus pair <code>` as the person at the host. Times, per run, from the moment the host command starts
# to the moment both sides report success (the host's exit and the remote's "paired with" line), and prints the
# median and the worst of N runs. Usage: Benchmarks/Pairing/pair.sh BIN_DIR [RUNS]
set -euo pipefail
bin=$1
runs=${2:-10}
root=$(mktemp -d /tmp/nm-pair-bench.XXXXXX)
trap 'kill $daemon 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$root"' EXIT
"$bin/nimbus-node-manager" --dev --data-dir "$root/data" --waku-listen 127.0.0.1:0 \
    --policy-dir "$(cd "$(dirname "$0")/../.." && pwd)/policy" >"$root/daemon.log" 2>&1 &
daemon=$!
socket="$root/data/control.sock"
for _ in $(seq 100); do [[ -S "$root/data/keys.sock" ]] && "$bin/nimbus" status --socket "$socket" >/dev/null 2>&1 && break; sleep 0.1; done
times=()
for run in $(seq "$runs"); do
    out="$root/remote-$run.out"
    "$bin/nimbus" remote invite --dev --socket "$socket" --config-dir "$root/remote" --timeout 30 >"$out" 2>/dev/null &
    remote=$!
    for _ in $(seq 200); do grep -q '^code: ' "$out" && break; sleep 0.02; done
    code=$(sed -n 's/^code: //p' "$out")
    start=$(date +%s%N)
    "$bin/nimbus" pair "$code" --socket "$socket" >/dev/null
    wait "$remote"
    end=$(date +%s%N)
    grep -q '^paired with' "$out"
    times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "pairing on loopback, $runs runs (ms, host command start to both sides paired): median ${sorted[$((runs / 2))]}, worst ${sorted[$((runs - 1))]}, all: ${times[*]}"
