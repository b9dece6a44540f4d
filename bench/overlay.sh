#!/bin/sh
# Overlay root filesystems: what a second pod of an image pays for its roots.
#  - the overlay helper alone: a new mount namespace, the stage1 and app overlays of a prepared
#    pod mounted, then /bin/true (the floor: /bin/true itself), i.e. the whole root set-up a pod
#    start does at run time;
#  - `prepare` of a second pod of the same image with overlays and with --no-overlay (copies),
#    for the part stage0 does before the hand-off.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
helper=$(dirname "$JRKT")/../lib/jrkt-overlay
[ -x "$helper" ] || die "$helper missing: build the engine module"
stage1=$(dirname "$JRKT")/stage1-fly.aci
[ -f "$stage1" ] || stage1=$ROOT/stage1-fly/target/stage1-fly.aci
[ -f "$stage1" ] || die "stage1-fly.aci missing: build the stage1-fly module first"

data=$work/overlay-data
sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-ovl "$work/ovl.aci" -- /bin/true
"$JRKT" --dir="$data" fetch --insecure-options=image "$work/ovl.aci" >/dev/null
# The first pod renders and imports whatever it needs; the measured ones are second pods.
"$JRKT" --dir="$data" run --stage1-path="$stage1" example.com/bench-ovl >/dev/null
uuid=$("$JRKT" --dir="$data" prepare --quiet --stage1-path="$stage1" example.com/bench-ovl)
pod=$data/pods/prepared/$uuid
[ -f "$pod/overlay-prepared" ] || die "pods here do not get overlays (see jrkt --debug run)"

echo "overlay: pod root filesystems" >&2
bench overlay "floor: /bin/true" "$BENCH_RUNS" "" "/bin/true"
bench overlay "overlay helper: namespace, 2 overlays, /bin/true" "$BENCH_RUNS" "" \
  "cd $pod && $helper mount overlay-mounts -- /bin/true"
# The set-up alone: the row above also pays for the namespace's end, where overlayfs syncs the
# upper filesystem as it unmounts (so it varies with everyone's disk writes). strace -T times
# the helper's unshare and mount calls, which are the whole set-up; the median of their sums.
if command -v strace >/dev/null 2>&1; then
  i=0
  : > "$work/ovl-setup.ms"
  while [ "$i" -lt "$BENCH_RUNS" ]; do
    (cd "$pod" && strace -f -T -e trace=unshare,mount -o "$work/ovl-strace" \
      "$helper" mount overlay-mounts -- /bin/true)
    sed -n 's/.*<\([0-9.]*\)>$/\1/p' "$work/ovl-strace" \
      | awk '{ s += $1 } END { printf "%.3f\n", s * 1000 }' >> "$work/ovl-setup.ms"
    i=$((i + 1))
  done
  ms=$(sort -n "$work/ovl-setup.ms" | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' overlay \
    "root set-up: unshare + 2 overlay mounts (strace -T)" "$ms" - "$BENCH_RUNS" \
    "strace -f -T -e trace=unshare,mount $helper mount overlay-mounts -- /bin/true" \
    >> "$BENCH_RESULTS"
  printf '  %-48s %8s ms\n' "root set-up: unshare + 2 overlay mounts" "$ms" >&2
fi
collect="$JRKT --dir=$data gc --grace-period=0s --expire-prepared=0s && sync"
bench overlay "jrkt prepare, 2nd pod of an image, overlay" "$BENCH_RUNS" "$collect" \
  "$JRKT --dir=$data prepare --quiet --stage1-path=$stage1 example.com/bench-ovl"
bench overlay "jrkt prepare, 2nd pod of an image, --no-overlay" "$BENCH_RUNS" "$collect" \
  "$JRKT --dir=$data prepare --quiet --no-overlay --stage1-path=$stage1 example.com/bench-ovl"
bench overlay "jrkt run (fly, /bin/true), overlay" "$BENCH_RUNS" "$collect" \
  "$JRKT --dir=$data run --stage1-path=$stage1 example.com/bench-ovl"
bench overlay "jrkt run (fly, /bin/true), --no-overlay" "$BENCH_RUNS" "$collect" \
  "$JRKT --dir=$data run --no-overlay --stage1-path=$stage1 example.com/bench-ovl"
# The nspawn 3-app pod against the 1-app one, with and without overlays. On a shared machine
# the load drifts during a long hyperfine series, so the four variants run interleaved, round
# after round, each after a gc and a sync; medians per variant.
nspawn_stage1=$(dirname "$JRKT")/stage1-coreos.aci
[ -f "$nspawn_stage1" ] || nspawn_stage1=$ROOT/stage1-nspawn/target/stage1-coreos.aci
if [ -f "$nspawn_stage1" ] && command -v systemd-nspawn >/dev/null 2>&1; then
  ndata=$work/overlay-nspawn-data
  for app in a b c; do
    sh "$ROOT/scripts/make-test-aci.sh" --name "example.com/bench-ovl-$app" \
      "$work/ovl-$app.aci" -- /bin/true
    "$JRKT" --dir="$ndata" fetch --insecure-options=image "$work/ovl-$app.aci" >/dev/null
  done
  nrun="$JRKT --dir=$ndata run --stage1-path=$nspawn_stage1"
  three="example.com/bench-ovl-a --- example.com/bench-ovl-b --- example.com/bench-ovl-c"
  set -- "1 app, overlay|$nrun example.com/bench-ovl-a" \
    "3 apps, overlay|$nrun $three" \
    "1 app, --no-overlay|$nrun --no-overlay example.com/bench-ovl-a" \
    "3 apps, --no-overlay|$nrun --no-overlay $three"
  for v in "$@"; do sh -c "${v#*|}" >/dev/null 2>&1 || die "'${v#*|}' fails"; done
  round=0
  while [ "$round" -lt "$BENCH_RUNS" ]; do
    n=0
    for v in "$@"; do
      n=$((n + 1))
      "$JRKT" --dir="$ndata" gc --grace-period=0s >/dev/null 2>&1; sync
      start=$(date +%s%N)
      sh -c "${v#*|}" >/dev/null 2>&1
      end=$(date +%s%N)
      echo $(( (end - start) / 1000 )) >> "$work/ovl-nspawn.$n"
    done
    round=$((round + 1))
  done
  n=0
  for v in "$@"; do
    n=$((n + 1))
    ms=$(sort -n "$work/ovl-nspawn.$n" | awk '{ v[NR] = $1 } END {
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' overlay "nspawn run, ${v%%|*} (interleaved)" "$ms" - \
      "$BENCH_RUNS" "${v#*|}" >> "$BENCH_RESULTS"
    printf '  %-48s %8s ms\n' "nspawn run, ${v%%|*} (interleaved)" "$ms" >&2
  done
  "$JRKT" --dir="$ndata" gc --grace-period=0s >/dev/null 2>&1 || true
fi
note "The overlay helper row is the run-time root set-up of a pod (stage1 root and one app root"\
" mounted in the pod's own mount namespace); the prepare rows show the copy overlays avoid."
