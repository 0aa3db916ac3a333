#!/usr/bin/env bash
# Sets up a simulated node, a dev daemon watching it (Waku service node on loopback) and a paired remote, then runs
# RemoteBench: a small REST call through the session over Waku vs directly, and a key command through a keys channel vs
# the local keys socket. Usage: remote.sh BIN_DIR [COUNT]
set -euo pipefail
bin=$1
count=${2:-200}
root=$(mktemp -d /tmp/nm-remote-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$root"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rest=$(port); metrics=$(port)
"$bin/nimbus-beacon-sim" --network=hoodi --data-dir="$root/sim" --rest --rest-port="$rest" --metrics \
    --metrics-port="$metrics" --sim-seconds-per-slot=12 --el=http://127.0.0.1:8551 --doppelganger-detection=false \
    >/dev/null 2>&1 &
pids+=($!)
# A plain file server answering 5 MB at a Beacon API path, for the transfer measurement (no node serves that much);
# random keys, as in a real registry, so that compression does no better than it would there.
big=$(port)
mkdir -p "$root/big/eth/v1/beacon/states/head"
python3 -c 'import json,os,sys; json.dump({"data":[{"index":str(i),"balance":str(32000000000+i*7919%1000003),"status":"active_ongoing","validator":{"pubkey":"0x"+os.urandom(48).hex(),"withdrawal_credentials":"0x01"+"00"*11+os.urandom(20).hex()}} for i in range(17000)]}, open(sys.argv[1],"w"))' \
    "$root/big/eth/v1/beacon/states/head/validators"
python3 -m http.server "$big" --bind 127.0.0.1 --directory "$root/big" >/dev/null 2>&1 &
pids+=($!)
cat >"$root/config.toml" <<TOML
[[nodes]]
name = "sim"
rest = "http://127.0.0.1:$rest"
metrics = "http://127.0.0.1:$metrics"

[[nodes]]
name = "big"
rest = "http://127.0.0.1:$big"
TOML
"$bin/nimbus-node-manager" --dev --config "$root/config.toml" --data-dir "$root/data" --waku-listen 127.0.0.1:0 \
    --policy-dir "$(cd "$(dirname "$0")/../.." && pwd)/policy" >"$root/daemon.log" 2>&1 &
pids+=($!)
socket="$root/data/control.sock"
for _ in $(seq 100); do [[ -S "$root/data/keys.sock" ]] && "$bin/nimbus" status --socket "$socket" >/dev/null 2>&1 && break; sleep 0.1; done
"$bin/nimbus" remote invite --dev --socket "$socket" --config-dir "$root/remote" --timeout 30 >"$root/invite.out" 2>/dev/null &
invite=$!
for _ in $(seq 200); do grep -qs "^code: " "$root/invite.out" && break; sleep 0.02; done
"$bin/nimbus" pair "$(sed -n 's/^code: //p' "$root/invite.out")" --socket "$socket" >/dev/null 2>&1
wait "$invite"
bootstrap=$("$bin/nimbus" waku status --socket "$socket" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["listen_addresses"][0])')
"$bin/RemoteBench" --bootstrap "$bootstrap" --config-dir "$root/remote" --direct "http://127.0.0.1:$rest" --count "$count" \
    --big-node big --big-direct "http://127.0.0.1:$big" --keys-socket "$root/data/keys.sock"
