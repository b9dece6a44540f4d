#!/bin/sh
# jrkt run --unit: from the command's start (JVM included) until it returned, i.e. until the
# transient unit is active, on a private systemd node (bench/node.sh). A fly pod that sleeps,
# stopped and collected between runs (untimed). Run by run-all.sh, or alone.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_RESULTS=${BENCH_RESULTS:-$ROOT/.build/bench-units.tsv}
. "$ROOT/bench/lib.sh"
. "$ROOT/bench/node.sh"
[ -f "$(dirname "$JRKT")/stage1-fly.aci" ] || die "stage1-fly.aci missing next to $JRKT"

# Not under /tmp, /run or /var: the node has its own.
mkdir -p "$ROOT/.build"
work=$(mktemp -d "$ROOT/.build/bench-units.XXXXXX")
data=$work/data
cleanup() {
  if [ -n "${NODE_PID:-}" ]; then
    on_node "$JRKT" --dir="$data" gc --grace-period=0s --expire-prepared=0s >/dev/null 2>&1 || true
  fi
  node_stop
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
node_boot "$work/node"

sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-sleep "$work/sleep.aci" -- \
  /bin/sleep 30 >/dev/null
"$JRKT" --dir="$data" fetch --insecure-options=image "$work/sleep.aci" >/dev/null

reset="for d in $data/pods/run/*; do [ -d \"\$d\" ] && nsenter -t $NODE_PID -m -p -- $JRKT \
--dir=$data stop --force \$(basename \$d); done; sleep 0.3; nsenter -t $NODE_PID -m -p -- $JRKT \
--dir=$data gc --grace-period=0s >/dev/null; sync"
echo "units: run --unit on a private systemd node" >&2
bench units "floor: nsenter into the node, /bin/true" "$BENCH_RUNS" "" \
  "nsenter -t $NODE_PID -m -p -- /bin/true"
# For scale, side by side: what the same pod's preparation alone costs (run --unit prepares,
# then hands the pod to systemd), and the JVM start.
bench units "jrkt version (on the node)" "$BENCH_RUNS" "" \
  "nsenter -t $NODE_PID -m -p -- $JRKT version"
bench units "jrkt prepare, fly (the part before the unit)" "$BENCH_RUNS" "$reset" \
  "nsenter -t $NODE_PID -m -p -- $JRKT --dir=$data prepare --quiet --stage1-name=coreos.com/rkt/stage1-fly example.com/bench-sleep"
reset="$reset; nsenter -t $NODE_PID -m -p -- $JRKT --dir=$data gc --grace-period=0s \
--expire-prepared=0s >/dev/null"
bench units "jrkt run --unit, fly, until the unit is active" "$BENCH_RUNS" "$reset" \
  "nsenter -t $NODE_PID -m -p -- $JRKT --dir=$data run --unit --stage1-name=coreos.com/rkt/stage1-fly example.com/bench-sleep"
sh -c "$reset" >/dev/null 2>&1 || true
