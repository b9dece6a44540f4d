#!/bin/sh
# Pod networking (CNI) on the systemd-nspawn stage1, against the issue's targets:
# - set-up: what the default network adds to a pod's start, end to end (run --net=default
#   against --net=none, /bin/true, interleaved) and in-process (--debug: the set-up itself, and
#   how long run waited for it after the rest of the pod was prepared);
# - teardown: per pod in-process (gc --debug, one pod at a time) and as gc wall time / pods
#   (gc of N exited pods on the default network against N with --net=none), and the gc of 200
#   networked pods;
# - floors: the bare ptp plugin's ADD and DEL in a netns made by `ip netns`.
# BENCH_RESULTS=FILE sh bench/net.sh WORKDIR; BENCH_NET_RUNS (15), BENCH_NET_GC_PODS (20) and
# BENCH_NET_BIG_GC (200) change the effort. It changes host state while it runs (iptables,
# ip_forward, addresses of the default network 172.16.28.0/24) and undoes all of it on exit,
# failure or interrupt included: the pods of WORKDIR/net-data (gc), the floor's netns, address
# and rules (DEL), ip_forward.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
runs=${BENCH_NET_RUNS:-15}
gc_pods=${BENCH_NET_GC_PODS:-20}
big_gc=${BENCH_NET_BIG_GC:-200}
[ "$(id -u)" -eq 0 ] || die "net: run as root"
[ -x /usr/lib/cni/ptp ] || die "net: containernetworking-plugins are not installed"
stage1=$(dirname "$JRKT")/stage1-coreos.aci
[ -f "$stage1" ] || stage1=$ROOT/stage1-nspawn/target/stage1-coreos.aci
[ -f "$stage1" ] || die "net: stage1-coreos.aci missing: build the stage1-nspawn module first"
forward=$(cat /proc/sys/net/ipv4/ip_forward)
data=$work/net-data
# Scratch files of this script only (other benchmarks share WORKDIR).
files=$work/net-files
mkdir -p "$files"
J="$JRKT --dir=$data --insecure-options=image"
run="$J run --stage1-path=$stage1"
# The floor's names carry this process's id: nothing of another run is ever touched.
floor_net=bench-floor-$$
floor_ns=jrkt-bench-floor-$$
floor_made=

cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$floor_made" ]; then
    sh "$files/floor.sh" DEL >/dev/null 2>&1 || echo "bench: net: floor DEL failed" >&2
    ip netns del "$floor_ns" 2>/dev/null || true
    rm -rf "/var/lib/cni/networks/$floor_net"
  fi
  if [ -d "$data" ]; then
    $J gc --grace-period=0s --expire-prepared=0s >/dev/null 2>&1 \
      || echo "bench: net: the final gc of $data failed" >&2
  fi
  echo "$forward" > /proc/sys/net/ipv4/ip_forward
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median_of() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m }'; }
row() { # row WHAT MS RUNS COMMAND: a row without peak RSS
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' net "$1" "$2" - "$3" "$4" >> "$BENCH_RESULTS"
  printf '  %-56s %8s ms\n' "$1" "$2" >&2
}
debug_ms() { # debug_ms LOG TEXT: the median of "<TEXT> took|waited N ms" lines
  sed -n "s/.*$2 \([0-9]*\) ms.*/\1/p" "$1" | median_of
}
verdict() { # verdict VALUE LIMIT
  awk -v v="$1" -v l="$2" 'BEGIN { if (v == "-" || v == "") print "not measured";
    else print (v <= l) ? "met" : "missed" }'
}

sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-net "$files/net.aci" -- /bin/true
$J fetch "$files/net.aci" >/dev/null
$J gc --grace-period=0s --expire-prepared=0s >/dev/null

# ---- floors: ptp ADD and DEL alone, with host-local IPAM, in a fresh netns ----
echo "{\"cniVersion\":\"0.4.0\",\"name\":\"$floor_net\",\"type\":\"ptp\",\"ipMasq\":true,\
\"ipam\":{\"type\":\"host-local\",\"subnet\":\"172.16.29.0/24\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}" \
  > "$files/floor.conf"
cat > "$files/floor.sh" <<FLOOR
#!/bin/sh
# floor.sh ADD|DEL: one ptp call for container "benchfloor$$" in netns $floor_ns.
export CNI_COMMAND=\$1 CNI_CONTAINERID=benchfloor$$ CNI_NETNS=/run/netns/$floor_ns \
  CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni
exec /usr/lib/cni/ptp < $files/floor.conf > /dev/null
FLOOR
floor_made=1
ip netns add "$floor_ns"
# Each prepare first undoes what the last timed command left (DEL is idempotent).
bench net "floor: ptp ADD (host-local, ipMasq)" "$runs" \
  "sh $files/floor.sh DEL" "sh $files/floor.sh ADD"
bench net "floor: ptp DEL" "$runs" "sh $files/floor.sh DEL; sh $files/floor.sh ADD" \
  "sh $files/floor.sh DEL"
sh "$files/floor.sh" DEL >/dev/null
ip netns del "$floor_ns"
rm -rf "/var/lib/cni/networks/$floor_net"
floor_made=

# ---- set-up, end to end: --net=none and --net=default interleaved, each pod gc'd untimed ----
: > "$files/none.ms"
: > "$files/default.ms"
: > "$files/delta.ms"
i=0
while [ "$i" -lt "$runs" ]; do
  t=$(date +%s%N); $run --net=none example.com/bench-net >/dev/null; none=$(ms_since "$t")
  $J gc --grace-period=0s >/dev/null
  t=$(date +%s%N); $run --net=default example.com/bench-net >/dev/null; def=$(ms_since "$t")
  $J gc --grace-period=0s >/dev/null
  echo "$none" >> "$files/none.ms"
  echo "$def" >> "$files/default.ms"
  echo $((def - none)) >> "$files/delta.ms"
  i=$((i + 1))
done
none_ms=$(median_of < "$files/none.ms")
default_ms=$(median_of < "$files/default.ms")
added_ms=$(median_of < "$files/delta.ms")
row "jrkt run --net=none, nspawn, /bin/true (interleaved)" "$none_ms" "$runs" \
  "$run --net=none example.com/bench-net"
row "jrkt run --net=default, nspawn, /bin/true (interleaved)" "$default_ms" "$runs" \
  "$run --net=default example.com/bench-net"
row "  added by the network (median of the pairs' differences)" "$added_ms" "$runs" \
  "(each --net=default run) - (the --net=none run just before it)"

# ---- set-up and teardown, in-process (--debug) ----
: > "$files/setup.log"
i=0
while [ "$i" -lt "$runs" ]; do
  $JRKT --dir="$data" --debug run --stage1-path="$stage1" --net=default example.com/bench-net \
    2>>"$files/setup.log" >/dev/null
  i=$((i + 1))
done
# One pod at a time, so that each pod's figure is its own.
JRKT_GC_WORKERS=1 $JRKT --dir="$data" --debug gc --grace-period=0s 2>"$files/teardown.log" \
  >/dev/null
setup_ms=$(debug_ms "$files/setup.log" "network set-up took")
waited_ms=$(debug_ms "$files/setup.log" "waited")
teardown_ms=$(debug_ms "$files/teardown.log" "network teardown took")
row "stage0 network set-up, in-process (beside the pod's preparation)" "$setup_ms" "$runs" \
  "jrkt --debug run: 'network set-up took'"
row "  of which the netns" "$(debug_ms "$files/setup.log" "network namespace [^ ]* took")" \
  "$runs" "jrkt --debug run: 'network namespace ... took'"
row "  of which ptp ADD" "$(debug_ms "$files/setup.log" "ptp ADD took")" "$runs" \
  "jrkt --debug run: 'ptp ADD took'"
row "  run waited for it after preparing the pod" "$waited_ms" "$runs" \
  "jrkt --debug run: 'waited ... for the network set-up'"
row "gc network teardown per pod, in-process (one at a time)" "$teardown_ms" "$runs" \
  "JRKT_GC_WORKERS=1 jrkt --debug gc: 'network teardown took'"
row "  of which ptp DEL" "$(debug_ms "$files/teardown.log" "ptp DEL took")" "$runs" \
  "JRKT_GC_WORKERS=1 jrkt --debug gc: 'ptp DEL took'"

# ---- gc: N exited pods each; the difference per pod is the network's teardown ----
make_pods() { # make_pods NET N
  i=0
  while [ "$i" -lt "$2" ]; do $run --net="$1" example.com/bench-net >/dev/null; i=$((i + 1)); done
}
gc_ms() { # gc_ms [ENV...]: one timed gc of every pod of $data
  t=$(date +%s%N); env "$@" $J gc --grace-period=0s >/dev/null 2>>"$files/gc.log"; ms_since "$t"
}
: > "$files/gc-none.ms"
: > "$files/gc-default.ms"
: > "$files/gc-default-1.ms"
for _ in 1 2 3; do
  make_pods none "$gc_pods"; gc_ms >> "$files/gc-none.ms"
  make_pods default "$gc_pods"; gc_ms >> "$files/gc-default.ms"
  make_pods default "$gc_pods"; gc_ms JRKT_GC_WORKERS=1 >> "$files/gc-default-1.ms"
done
gc_none=$(median_of < "$files/gc-none.ms")
gc_default=$(median_of < "$files/gc-default.ms")
row "jrkt gc of $gc_pods exited pods, --net=none" "$gc_none" 3 "$J gc --grace-period=0s"
row "jrkt gc of $gc_pods exited pods, --net=default" "$gc_default" 3 "$J gc --grace-period=0s"
row "jrkt gc of $gc_pods exited pods, --net=default, one pod at a time" \
  "$(median_of < "$files/gc-default-1.ms")" 3 "JRKT_GC_WORKERS=1 $J gc --grace-period=0s"
per_pod=$(awk -v a="$gc_default" -v b="$gc_none" -v n="$gc_pods" \
  'BEGIN { printf "%.1f\n", (a - b) / n }')
row "  network teardown per pod, from the gc times ((default - none) / $gc_pods)" "$per_pod" 3 \
  "-"

make_pods default "$big_gc"
big_ms=$(gc_ms)
row "jrkt gc of $big_gc exited pods, --net=default" "$big_ms" 1 "$J gc --grace-period=0s"
row "  gc wall time per pod" "$(awk -v a="$big_ms" -v n="$big_gc" \
  'BEGIN { printf "%.1f\n", a / n }')" 1 "-"

note "net: set-up adds ≤ 30 ms: ${added_ms} ms end to end, ${waited_ms} ms waited in-process ($(verdict "$added_ms" 30) end to end)"
note "net: teardown ≤ 60 ms per pod: ${teardown_ms} ms in-process, ${per_pod} ms from the gc times ($(verdict "$teardown_ms" 60) in-process)"
note "net: gc of $big_gc networked pods ≤ 20 s: ${big_ms} ms ($(verdict "$big_ms" 20000))"
