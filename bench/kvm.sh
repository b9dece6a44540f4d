#!/bin/sh
# VM pods of stage1-kvm (bin/stage1-kvm.aci): a pod doing /bin/true end to end (`jrkt run` to
# exit) against the bare floor: the same qemu, kernel, machine type (microvm), memory size and
# accelerator, with a trivial initramfs whose init powers off at once. Also the host memory of
# an idle VM pod (resident set of its qemu and its virtiofsd).
#
# The accelerator is what `jrkt stage1 kvm-check --kvm-accel=auto` says: KVM on a host with
# usable hardware virtualization, qemu's software emulation (TCG) elsewhere; it is printed and
# recorded. The floor and the pod alternate run by run, so that a busy machine tilts both alike.
# BENCH_KVM_RUNS (default 16) sets the number of runs of each: on a machine whose cores are
# shared, single VM boots move by up to ±0.5 s, and the medians need the runs.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
runs=${BENCH_KVM_RUNS:-16}
stage1=$(dirname "$JRKT")/stage1-kvm.aci
[ -f "$stage1" ] || die "stage1-kvm.aci missing next to $JRKT: build the stage1-kvm module"
command -v qemu-system-x86_64 >/dev/null 2>&1 || die "qemu-system-x86_64 is not installed"
command -v cpio >/dev/null 2>&1 || die "cpio is not installed"
check=$("$JRKT" stage1 kvm-check --kvm-accel=auto) || die "VM pods cannot run here: $check"
accel=${check%%:*}
echo "kvm: stage1-kvm pods, accelerator $accel" >&2
note "stage1-kvm ran with accelerator **$accel** (\`jrkt stage1 kvm-check --kvm-accel=auto\`:"\
" ${check#*: })."

# The floor: the stage1's own kernel, booted into an init that powers off at once, with the
# kernel command line of a pod (QemuCommand.kernelCmdline) but for jrkt's own words.
floor_dir=$work/kvm-floor
mkdir -p "$floor_dir"
tar -xf "$stage1" -C "$floor_dir" rootfs/kernel/vmlinux
printf '#include <sys/reboot.h>\nint main(void) { reboot(RB_POWER_OFF); return 0; }\n' \
  > "$floor_dir/poweroff.c"
${CC:-gcc} -static -O2 -s -o "$floor_dir/init" "$floor_dir/poweroff.c"
(cd "$floor_dir" && echo init | cpio --quiet -o -H newc -R 0:0 > floor.cpio)
khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
cpu=max
[ "$accel" = kvm ] && cpu=host
floor="qemu-system-x86_64 -machine microvm,accel=$accel -cpu $cpu -m 256M -smp 1 -nodefaults"\
" -no-user-config -nographic -no-reboot -kernel $floor_dir/rootfs/kernel/vmlinux"\
" -initrd $floor_dir/floor.cpio -serial null"\
" -append 'console=ttyS0 quiet panic=-1 pci=off tsc_early_khz=$khz tsc=reliable init_on_alloc=0'"

data=$work/kvm-data
sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-kvm-true "$work/kvm-true.aci" \
  -- /bin/true
sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-kvm-sleep "$work/kvm-sleep.aci" \
  -- /bin/sleep 3600
for aci in kvm-true kvm-sleep; do
  "$JRKT" --dir="$data" fetch --insecure-options=image "$work/$aci.aci" >/dev/null
done
run="$JRKT --dir=$data run --stage1-name=coreos.com/rkt/stage1-kvm --kvm-accel=$accel"
# Like the floor, which has no network card, the pod of the ratio has no network (--net=none); the
# same pod on the default network (a tap, the CNI ADD, the guest's network modules) is a row of
# its own.
pod="$run --net=none example.com/bench-kvm-true"
netpod="$run --net=default example.com/bench-kvm-true"

ms_of() { # ms_of COMMAND: wall time of one run in ms (its output discarded)
  start=$(date +%s%N)
  sh -c "$1" >/dev/null 2>&1 || echo "bench: warning: '$1' failed" >&2
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m }'; }

sh -c "$floor" >/dev/null 2>&1 # warm the page cache
sh -c "$pod" >/dev/null 2>&1 || die "a stage1-kvm pod fails: $pod"
: > "$work/kvm-floor.ms"
: > "$work/kvm-pod.ms"
: > "$work/kvm-netpod.ms"
i=0
while [ "$i" -lt "$runs" ]; do
  "$JRKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 && sync
  ms_of "$floor" >> "$work/kvm-floor.ms"
  ms_of "$pod" >> "$work/kvm-pod.ms"
  ms_of "$netpod" >> "$work/kvm-netpod.ms"
  i=$((i + 1))
done
floor_ms=$(median "$work/kvm-floor.ms")
pod_ms=$(median "$work/kvm-pod.ms")
netpod_ms=$(median "$work/kvm-netpod.ms")
row() { # row WHAT MS KIB COMMAND
  printf 'kvm\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$runs" "$4" >> "$BENCH_RESULTS"
  printf '  %-48s %8s ms  %8s KiB\n' "$1" "$2" "$3" >&2
}
row "floor: qemu microvm boot to poweroff ($accel)" "$floor_ms" - "$floor"
row "jrkt run, kvm ($accel), /bin/true, --net=none" "$pod_ms" - "$pod"
row "jrkt run, kvm ($accel), /bin/true, --net=default" "$netpod_ms" - "$netpod"
ratio=$(awk -v p="$pod_ms" -v f="$floor_ms" 'BEGIN { printf "%.2f", p / f }')
netratio=$(awk -v p="$netpod_ms" -v f="$floor_ms" 'BEGIN { printf "%.2f", p / f }')
note "stage1-kvm: the /bin/true pod took $ratio × the bare boot ($pod_ms against $floor_ms ms,"\
" medians of $runs alternating runs) without a network, $netratio × on the default network."

# An idle pod: its qemu's and virtiofsd's resident memory once the app runs.
"$JRKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || true
$run --uuid-file-save="$work/kvm-sleep-uuid" example.com/bench-kvm-sleep >/dev/null 2>&1 &
bg=$!
i=0
until [ -s "$work/kvm-sleep-uuid" ] \
  && "$JRKT" --dir="$data" enter "$(cat "$work/kvm-sleep-uuid")" /bin/true >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 600 ] || { kill "$bg" 2>/dev/null; die "the idle pod did not start"; }
  sleep 0.1
done
uuid=$(cat "$work/kvm-sleep-uuid")
sleep 1
poddir=$data/pods/run/$uuid
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
qemu_kib=$(rss "$(cat "$poddir/pid")")
virtiofsd_kib=$(rss "$(cat "$poddir/vm/virtiofsd.pid")")
row "idle VM pod: qemu RSS" - "$qemu_kib" "$run example.com/bench-kvm-sleep (VmRSS of pid)"
row "idle VM pod: virtiofsd RSS" - "$virtiofsd_kib" \
  "$run example.com/bench-kvm-sleep (VmRSS of vm/virtiofsd.pid)"
"$JRKT" --dir="$data" stop "$uuid" >/dev/null
wait "$bg" || true
"$JRKT" --dir="$data" gc --grace-period=0s >/dev/null 2>&1 || true
