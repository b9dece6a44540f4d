#!/bin/sh
# jrkt logs on a pod run as a unit that printed 100,000 lines, on a private systemd node
# (bench/node.sh): the last 1,000 lines, and the whole stream with --follow (lines/s).
# journald's per-unit rate limit (10,000 lines per 30 s by default) is lifted on the node, or
# most of the lines would be dropped. Run by run-all.sh, or alone.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCH_RESULTS=${BENCH_RESULTS:-$ROOT/.build/bench-logs.tsv}
. "$ROOT/bench/lib.sh"
. "$ROOT/bench/node.sh"
[ -f "$(dirname "$JRKT")/stage1-fly.aci" ] || die "stage1-fly.aci missing next to $JRKT"
LINES=100000

mkdir -p "$ROOT/.build"
work=$(mktemp -d "$ROOT/.build/bench-logs.XXXXXX")
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
mkdir -p "/proc/$NODE_PID/root/run/systemd/journald.conf.d"
printf '[Journal]\nRateLimitBurst=0\nRateLimitIntervalSec=0\n' \
  > "/proc/$NODE_PID/root/run/systemd/journald.conf.d/bench.conf"
on_node systemctl restart systemd-journald

sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-chatty "$work/chatty.aci" -- \
  /bin/sh -c "i=1; while [ \$i -le $LINES ]; do echo \"line \$i of a chatty app\"; i=\$((i+1)); done; \
  while true; do echo tick; sleep 0.1; done" >/dev/null
on_node "$JRKT" --dir="$data" run --unit --insecure-options=image \
  --stage1-name=coreos.com/rkt/stage1-fly "$work/chatty.aci" > "$work/started"
uuid=$(head -1 "$work/started")
# The app prints its lines, then a "tick" every 0.1 s: a following reader that stopped
# reading (head) finds out at the next tick.
i=0
until [ "$(on_node "$JRKT" --dir="$data" logs "$uuid" | grep -c 'of a chatty app$')" -eq $LINES ]; do
  i=$((i + 1)); [ $i -lt 120 ] || die "the journal never got $LINES lines"; sleep 1
done

echo "logs: a unit pod that printed $LINES lines" >&2
bench logs "floor: journalctl -u UNIT -n 1000 -o cat" "$BENCH_RUNS" "" \
  "nsenter -t $NODE_PID -m -p -- journalctl -u jrkt-$uuid.service -n 1000 -o cat --no-pager"
bench logs "jrkt logs --lines=1000" "$BENCH_RUNS" "" \
  "nsenter -t $NODE_PID -m -p -- $JRKT --dir=$data logs --lines=1000 $uuid"
bench logs "jrkt logs --follow, first $LINES lines" 5 "" \
  "nsenter -t $NODE_PID -m -p -- $JRKT --dir=$data logs --follow $uuid | head -n $LINES >/dev/null"
ms=$(awk -F'\t' '$2 ~ /--follow/ { print $3 }' "$BENCH_RESULTS" | tail -1)
note "jrkt logs --follow streamed $LINES lines at $(awk -v ms="$ms" -v n=$LINES \
  'BEGIN { printf "%d", n / (ms / 1000) }') lines/s (median $ms ms, JVM start included)."
on_node "$JRKT" --dir="$data" stop "$uuid" >/dev/null 2>&1 || true
