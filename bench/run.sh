#!/bin/sh
# jrkt run of a fly pod doing /bin/true, end to end, image already fetched; and its floor,
# a private mount namespace plus chroot into the same root filesystem. Also: what the
# class-data archive (lib/jrkt.jsa) saves, and how many classes a run loads.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
[ -f "$(dirname "$JRKT")/stage1-fly.aci" ] || die "stage1-fly.aci missing next to $JRKT: build first"

sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-true "$work/true.aci" -- /bin/true
data=$work/run-data
"$JRKT" --dir="$data" fetch --insecure-options=image "$work/true.aci" >/dev/null
rootfs=$work/true-rootfs
mkdir -p "$rootfs" && tar -xzf "$work/true.aci" -C "$rootfs" --strip-components=1 rootfs

nocds=$(dirname "$JRKT")/.jrkt-bench-nocds.$$
classlog=$(dirname "$JRKT")/.jrkt-bench-classes.$$
trap 'rm -f "$nocds" "$classlog"' EXIT
launcher_variant "$nocds" 's|/jrkt.jsa" ]|/no-such-archive.jsa" ]|'
launcher_variant "$classlog" "s|^exec java |exec java -Xlog:class+load=info:file=$work/classes.log |"

run="run --stage1-name=coreos.com/rkt/stage1-fly example.com/bench-true"
echo "run: fly pod /bin/true" >&2
bench run "floor: unshare -m chroot ROOTFS /bin/true" "$BENCH_RUNS" "" \
  "unshare -m chroot $rootfs /bin/true"
# Exited pods are collected before every run (untimed), so each run starts from the same state.
# sync: the timed run must not pay for flushing the previous pod's deletion to disk.
collect="$JRKT --dir=$data gc --grace-period=0s && sync"
bench run "jrkt run, fly, /bin/true" "$BENCH_RUNS" "$collect" "$JRKT --dir=$data $run"
bench run "jrkt run, fly, /bin/true, without lib/jrkt.jsa" "$BENCH_RUNS" "$collect" \
  "$nocds --dir=$data $run"
# The JVM's own start with the launcher's options and no application: the floor of every command.
bench run "floor: java -version (the launcher's JVM options, no archive of ours)" "$BENCH_RUNS" "" \
  "java -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss1m -Xshare:auto -version"
bench run "jrkt version" "$BENCH_RUNS" "" "$JRKT version"
bench run "jrkt version, without lib/jrkt.jsa" "$BENCH_RUNS" "" "$nocds version"

"$classlog" --dir="$data" $run >/dev/null 2>&1 || true
if [ -f "$work/classes.log" ]; then
  total=$(grep -c 'class,load' "$work/classes.log" || true)
  shared=$(grep -c 'shared objects file' "$work/classes.log" || true)
  note "jrkt run (fly, /bin/true) loads $total classes, $shared of them from lib/jrkt.jsa."
fi
"$JRKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || true
