#!/bin/sh
# Pods of the systemd-nspawn stage1 (stage1-coreos.aci): a one-app pod doing /bin/true end to
# end, a three-app one, and `jrkt enter` of /bin/true into a running pod; the floor is bare
# systemd-nspawn running /bin/true in the same root filesystem.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
command -v systemd-nspawn >/dev/null 2>&1 || die "systemd-nspawn is not installed"
# Installed next to the launcher it is the default stage1; otherwise the module's build output.
stage1=$(dirname "$JRKT")/stage1-coreos.aci
[ -f "$stage1" ] || stage1=$ROOT/stage1-nspawn/target/stage1-coreos.aci
[ -f "$stage1" ] || die "stage1-coreos.aci missing: build the stage1-nspawn module first"

# The 1-app and the 3-app pods each get a fresh data directory: creating files gets slower in a
# directory where many pods were created and deleted, which would tilt a side-by-side ratio.
data=$work/nspawn-data
data3=$work/nspawn3-data
for app in true a b c; do
  sh "$ROOT/scripts/make-test-aci.sh" --name "example.com/bench-ns-$app" \
    "$work/ns-$app.aci" -- /bin/true
  for d in "$data" "$data3"; do
    "$JRKT" --dir="$d" fetch --insecure-options=image "$work/ns-$app.aci" >/dev/null
  done
done
sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-ns-sleep "$work/ns-sleep.aci" \
  -- /bin/sleep 3600
"$JRKT" --dir="$data" fetch --insecure-options=image "$work/ns-sleep.aci" >/dev/null
rootfs=$work/ns-true-rootfs
mkdir -p "$rootfs" && tar -xzf "$work/ns-true.aci" -C "$rootfs" --strip-components=1 rootfs
mkdir -p "$rootfs/usr" # systemd-nspawn refuses a tree without /usr

# The floor runs in a cgroup of this script's own: systemd-nspawn --keep-unit --register=no
# leaves `payload` and `supervisor` cgroups below the cgroup it starts in, which could be the
# root of the host's hierarchies. One child of this shell's cgroup is made in every hierarchy
# (v1 controllers, name=systemd, the unified one); the shell moves into it for the floor only
# and back afterwards, and the child is removed with what nspawn left in it.
cgroup_name=jrkt-bench-nspawn.$$
made_cgroups=$work/nspawn-cgroups
: > "$made_cgroups"
hierarchy_dir() { # hierarchy_dir CONTROLLERS: its mount point under /sys/fs/cgroup
  case "$1" in
    "") if [ -d /sys/fs/cgroup/unified ]; then echo /sys/fs/cgroup/unified
        else echo /sys/fs/cgroup; fi ;;
    name=*) echo "/sys/fs/cgroup/${1#name=}" ;;
    *) echo "/sys/fs/cgroup/$1" ;;
  esac
}
enter_floor_cgroups() {
  while IFS=: read -r _ controllers path; do
    dir=$(hierarchy_dir "$controllers")
    [ -f "$dir$path/cgroup.procs" ] || continue
    own=${dir}${path%/}
    mkdir "$own/$cgroup_name"
    printf '%s\t%s\n' "$own" "$own/$cgroup_name" >> "$made_cgroups"
    if [ -f "$own/$cgroup_name/cpuset.cpus" ]; then # a v1 cpuset cgroup starts empty
      cat "$own/cpuset.cpus" > "$own/$cgroup_name/cpuset.cpus"
      cat "$own/cpuset.mems" > "$own/$cgroup_name/cpuset.mems"
    fi
    echo $$ > "$own/$cgroup_name/cgroup.procs"
  done < /proc/self/cgroup
}
leave_floor_cgroups() {
  while IFS='	' read -r own made; do
    echo $$ > "$own/cgroup.procs" 2>/dev/null || true
  done < "$made_cgroups"
  while IFS='	' read -r own made; do
    # Only what nspawn made inside the cgroup this script created, deepest first, rmdir only.
    [ -d "$made" ] && find "$made" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    [ -d "$made" ] && echo "bench: warning: could not remove cgroup $made" >&2 || true
  done < "$made_cgroups"
  : > "$made_cgroups"
}
trap 'leave_floor_cgroups' EXIT

echo "nspawn: stage1-coreos pods" >&2
enter_floor_cgroups
bench nspawn "floor: systemd-nspawn -D ROOTFS /bin/true" "$BENCH_RUNS" "" \
  "systemd-nspawn --quiet --register=no --keep-unit -D $rootfs /bin/true"
leave_floor_cgroups
note "The systemd-nspawn floor runs in a cgroup the benchmark makes below its own (and removes"\
" afterwards), because nspawn leaves its payload and supervisor cgroups where it starts."

run="run --stage1-path=$stage1"
# sync: the timed run must not pay for flushing the previous pod's deletion to disk.
collect="$JRKT --dir=$data gc --grace-period=0s && sync"
bench nspawn "jrkt run, nspawn, /bin/true" "$BENCH_RUNS" "$collect" \
  "$JRKT --dir=$data $run example.com/bench-ns-true"
bench nspawn "jrkt run --net=host, nspawn, /bin/true (the floor's network)" "$BENCH_RUNS" \
  "$collect" "$JRKT --dir=$data $run --net=host example.com/bench-ns-true"
note "The floor runs on the host's network; the row with --net=host is jrkt's like for like."\
" The default network adds its CNI set-up (the net rows below)."
note "No app tree is copied into the pod: each app's root is an overlay on its tree in the store"\
" (mounted by lib/jrkt-overlay), so a 3-app pod pays for two more mounts, not two more copies."
bench nspawn "jrkt run, nspawn, 3 apps /bin/true" "$BENCH_RUNS" \
  "$JRKT --dir=$data3 gc --grace-period=0s && sync" \
  "$JRKT --dir=$data3 $run example.com/bench-ns-a --- example.com/bench-ns-b --- example.com/bench-ns-c"

# enter: into one long-running pod, started in the background and stopped afterwards.
"$JRKT" --dir="$data" $run --uuid-file-save="$work/ns-sleep-uuid" example.com/bench-ns-sleep \
  >/dev/null 2>&1 &
pod=$!
i=0
until [ -s "$work/ns-sleep-uuid" ] \
  && "$JRKT" --dir="$data" enter "$(cat "$work/ns-sleep-uuid")" /bin/true >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 200 ] || { kill "$pod" 2>/dev/null; die "the pod for enter did not start"; }
  sleep 0.1
done
uuid=$(cat "$work/ns-sleep-uuid")
bench nspawn "jrkt enter, nspawn, /bin/true" "$BENCH_RUNS" "" \
  "$JRKT --dir=$data enter $uuid /bin/true"
"$JRKT" --dir="$data" stop "$uuid" >/dev/null
wait "$pod" || true
"$JRKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || true
