#!/bin/sh
# Pod networking (CNI) on the systemd-nspawn stage1: what the default network adds to a pod's
# start (run --net=default against --net=none, /bin/true), what it adds to a pod's gc (gc of N
# exited pods on the default network against N with --net=none, per pod), and the gc of 200
# networked pods. Floors: the bare ptp plugin's ADD and DEL in a netns made by `ip netns`.
# Run alone (BENCH_RESULTS=FILE sh bench/net.sh WORKDIR); `make bench` does not include it,
# since it changes host state (iptables, forwarding) while it runs. It needs the 172.16.28.0/24
# default network to itself.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
runs=${BENCH_NET_RUNS:-15}
gc_pods=${BENCH_NET_GC_PODS:-20}
big_gc=${BENCH_NET_BIG_GC:-200}
[ -x /usr/lib/cni/ptp ] || die "containernetworking-plugins are not installed"
stage1=$(dirname "$JRKT")/stage1-coreos.aci
[ -f "$stage1" ] || stage1=$ROOT/stage1-nspawn/target/stage1-coreos.aci
[ -f "$stage1" ] || die "stage1-coreos.aci missing: build the stage1-nspawn module first"
forward=$(cat /proc/sys/net/ipv4/ip_forward)
data=$work/net-data
J="$JRKT --dir=$data --insecure-options=image"
cleanup() {
  $J gc --grace-period=0s >/dev/null 2>&1 || true
  echo "$forward" > /proc/sys/net/ipv4/ip_forward
}
trap cleanup EXIT

sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-net "$work/net.aci" -- /bin/true
$J fetch "$work/net.aci" >/dev/null
run="$J run --stage1-path=$stage1"

# Floors: ptp ADD and DEL alone, with host-local IPAM, in a fresh netns.
conf='{"cniVersion":"0.4.0","name":"bench-floor","type":"ptp","ipMasq":true,"ipam":{"type":"host-local","subnet":"172.16.29.0/24","routes":[{"dst":"0.0.0.0/0"}]}}'
echo "$conf" > "$work/floor.conf"
cat > "$work/floor.sh" <<FLOOR
#!/bin/sh
# floor.sh ADD|DEL: one ptp call for container "benchfloor" in netns jrkt-bench-floor.
export CNI_COMMAND=\$1 CNI_CONTAINERID=benchfloor CNI_NETNS=/run/netns/jrkt-bench-floor \
  CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni
exec /usr/lib/cni/ptp < $work/floor.conf > /dev/null
FLOOR
ip netns add jrkt-bench-floor
floor_cleanup() {
  sh "$work/floor.sh" DEL >/dev/null 2>&1 || true
  ip netns del jrkt-bench-floor 2>/dev/null || true
  rm -rf /var/lib/cni/networks/bench-floor
}
trap 'floor_cleanup; cleanup' EXIT
# Each prepare first undoes what the last timed command left (DEL is idempotent).
bench net "floor: ptp ADD (host-local, ipMasq)" "$runs" \
  "sh $work/floor.sh DEL" "sh $work/floor.sh ADD"
bench net "floor: ptp DEL" "$runs" "sh $work/floor.sh DEL; sh $work/floor.sh ADD" \
  "sh $work/floor.sh DEL"
floor_cleanup
trap cleanup EXIT

bench net "jrkt run --net=none, nspawn, /bin/true" "$runs" \
  "$J gc --grace-period=0s" "$run --net=none example.com/bench-net"
bench net "jrkt run --net=default, nspawn, /bin/true" "$runs" \
  "$J gc --grace-period=0s" "$run --net=default example.com/bench-net"

# On a busy machine the run-to-run noise of a whole pod start hides a few ms, so stage0 also
# times its network set-up and teardown itself (--debug), next to the plugin's own share.
median_of() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit }
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m }'; }
row() { # row WHAT MS RUNS COMMAND
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' net "$1" "$2" - "$3" "$4" >> "$BENCH_RESULTS"
  printf '  %-48s %8s ms\n' "$1" "$2" >&2
}
$J gc --grace-period=0s >/dev/null
: > "$work/setup.log"
i=0
while [ "$i" -lt "$runs" ]; do
  $JRKT --dir="$data" --debug run --stage1-path="$stage1" example.com/bench-net \
    2>>"$work/setup.log" >/dev/null
  i=$((i + 1))
done
$JRKT --dir="$data" --debug gc --grace-period=0s 2>"$work/teardown.log" >/dev/null
row "stage0 network set-up, in-process (median of $runs)" \
  "$(sed -n 's/.*network set-up took \([0-9]*\) ms/\1/p' "$work/setup.log" | median_of)" "$runs" \
  "jrkt --debug run: 'network set-up took'"
row "  of which ptp ADD" \
  "$(sed -n 's/.*ptp ADD took \([0-9]*\) ms/\1/p' "$work/setup.log" | median_of)" "$runs" \
  "jrkt --debug run: 'ptp ADD took'"
row "gc network teardown, in-process (median of $runs)" \
  "$(sed -n 's/.*network teardown took \([0-9]*\) ms/\1/p' "$work/teardown.log" | median_of)" \
  "$runs" "jrkt --debug gc: 'network teardown took'"
row "  of which ptp DEL" \
  "$(sed -n 's/.*ptp DEL took \([0-9]*\) ms/\1/p' "$work/teardown.log" | median_of)" "$runs" \
  "jrkt --debug gc: 'ptp DEL took'"

# gc: N exited pods each, the difference per pod is the network's teardown.
make_pods() { # make_pods NET N
  i=0
  while [ "$i" -lt "$2" ]; do $run --net="$1" example.com/bench-net >/dev/null; i=$((i + 1)); done
}
for net in none default; do
  bench net "jrkt gc of $gc_pods exited pods, --net=$net" 3 \
    "$J gc --grace-period=0s; $(printf 'i=0; while [ $i -lt %s ]; do %s --net=%s example.com/bench-net; i=$((i+1)); done' "$gc_pods" "$run" "$net")" \
    "$J gc --grace-period=0s"
done

$J gc --grace-period=0s >/dev/null
make_pods default "$big_gc"
start=$(date +%s%N)
$J gc --grace-period=0s >/dev/null
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
printf '%s\t%s\t%s\t%s\t%s\t%s\n' net "jrkt gc of $big_gc exited pods, --net=default" "$ms" - 1 \
  "$J gc --grace-period=0s" >> "$BENCH_RESULTS"
printf '  %-48s %8s ms\n' "jrkt gc of $big_gc exited pods, --net=default" "$ms" >&2
