#!/bin/sh
# jrkt list and jrkt status with 100 exited fly pods.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
pods=${BENCH_PODS:-100}
[ -f "$(dirname "$JRKT")/stage1-fly.aci" ] || die "stage1-fly.aci missing next to $JRKT: build first"

sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-list "$work/list.aci" -- /bin/true
data=$work/list-data
"$JRKT" --dir="$data" fetch --insecure-options=image "$work/list.aci" >/dev/null
i=0
while [ "$i" -lt "$pods" ]; do
  "$JRKT" --dir="$data" run --stage1-name=coreos.com/rkt/stage1-fly \
    --uuid-file-save="$work/last-uuid" example.com/bench-list >/dev/null 2>&1 \
    || die "pod $i did not run"
  i=$((i + 1))
done
uuid=$(cat "$work/last-uuid")

echo "list: $pods exited pods" >&2
bench list "jrkt list ($pods pods)" "$BENCH_RUNS" "" "$JRKT --dir=$data list"
bench list "jrkt list --format=json ($pods pods)" "$BENCH_RUNS" "" \
  "$JRKT --dir=$data list --format=json"
bench list "jrkt status (1 of $pods pods)" "$BENCH_RUNS" "" "$JRKT --dir=$data status $uuid"
bench list "jrkt image list" "$BENCH_RUNS" "" "$JRKT --dir=$data image list"
"$JRKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || true
