#!/bin/bash
# Functional test of the stage1-kvm entrypoints (run, enter, stop, gc) on a hand-made pod
# directory, without stage0: the VM spec is written here as stage0 would. Needs root,
# qemu-system-x86_64, virtiofsd and a static busybox (/bin/busybox). The VMs run with qemu's
# software emulation (TCG), which works on every host.
#
# usage: stage1-kvm-test.sh [STAGE1_KVM_ACI]   (default: bin/stage1-kvm.aci of this tree)
#   KEEP=1 keeps the temporary directory.
# Exits 0 when every check passes, 1 on a failed check, 77 when it cannot run here.
set -u
umask 022

here=$(cd "$(dirname "$0")" && pwd)
aci=${1:-$here/../../../bin/stage1-kvm.aci}
busybox=${BUSYBOX:-/bin/busybox}
qemu=$(command -v qemu-system-x86_64 || true)
virtiofsd=
for d in /usr/lib/qemu /usr/libexec /usr/lib/virtiofsd; do
  [ -x "$d/virtiofsd" ] && virtiofsd=$d/virtiofsd && break
done

[ "$(id -u)" = 0 ] || { echo "stage1-kvm-test: needs root" >&2; exit 77; }
[ -n "$qemu" ] && [ -n "$virtiofsd" ] ||
  { echo "stage1-kvm-test: needs qemu-system-x86_64 and virtiofsd (qemu-system-x86)" >&2; exit 77; }
[ -f "$aci" ] || { echo "stage1-kvm-test: $aci missing (build the stage1-kvm module)" >&2; exit 77; }
tar -tf "$aci" | grep -q '^rootfs/kernel/vmlinux$' ||
  { echo "stage1-kvm-test: $aci has no kernel" >&2; exit 77; }

T=$(mktemp -d /tmp/stage1-kvm-test.XXXXXX)
failures=0
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf --one-file-system "$T"
}
trap cleanup EXIT
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi; }

# new_pod CMD_A [CMD_B]: a pod directory with apps a (and b) running sh -c CMD; sets POD, UUID.
new_pod() {
  UUID=$(cat /proc/sys/kernel/random/uuid)
  POD=$T/pods/run/$UUID
  local s1=$POD/stage1/rootfs fields=() app apps=() outputs=() ports=()
  mkdir -p "$POD/stage1"
  tar -xf "$aci" -C "$POD/stage1"
  mkdir -p "$s1/rkt/env" "$s1/rkt/status"
  local i=0
  for cmd in "$@"; do
    app=$([ $i = 0 ] && echo a || echo b)
    mkdir -p "$s1/opt/stage2/$app/rootfs/bin"
    cp "$busybox" "$s1/opt/stage2/$app/rootfs/bin/busybox"
    for applet in sh true echo cat sleep ls; do ln -s busybox "$s1/opt/stage2/$app/rootfs/bin/$applet"; done
    printf 'PATH=/bin\nAPP=%s\n' "$app" > "$s1/rkt/env/$app"
    fields+=(app "$app" root "stage1/rootfs/opt/stage2/$app/rootfs" env 2 PATH=/bin "APP=$app"
      exec 3 /bin/sh -c "$cmd")
    outputs+=(output "$app" $((200 + 2 * i)) $((201 + 2 * i)))
    ports+=(-chardev "socket,id=app$i-out,fd=$((200 + 2 * i))"
      -device "virtserialport,chardev=app$i-out,name=out.$app"
      -chardev "socket,id=app$i-err,fd=$((201 + 2 * i))"
      -device "virtserialport,chardev=app$i-err,name=err.$app")
    i=$((i + 1))
  done
  printf '%s\0' version 1 "${fields[@]}" > "$s1/rkt/plan"
  local khz q v
  khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
  q=("$qemu" -name "rkt-$UUID" -machine microvm,accel=tcg,memory-backend=mem -cpu max -smp 1
    -m 384M -object memory-backend-memfd,id=mem,size=384M,share=on -nodefaults -no-user-config
    -nographic -no-reboot -kernel stage1/rootfs/kernel/vmlinux
    -initrd stage1/rootfs/kernel/initramfs
    -append "console=ttyS0 quiet panic=-1 pci=off tsc_early_khz=$khz" -serial file:vm/console.log
    -global virtio-mmio.force-legacy=false -chardev socket,id=fs,path=vm/fs.sock
    -device vhost-user-fs-device,chardev=fs,tag=pod -device "virtio-serial-device,max_ports=$((4 + 2 * i))"
    -chardev socket,id=stderr,fd=100 -device virtserialport,chardev=stderr,name=stderr
    -chardev socket,id=control,fd=102 -device virtserialport,chardev=control,name=control
    -chardev socket,id=agent,path=vm/agent.sock,server=on,wait=off
    -device virtserialport,chardev=agent,name=agent "${ports[@]}")
  v=("$virtiofsd" --fd=3 -o "source=$POD" -o cache=always -o sandbox=namespace)
  printf '%s\0' version 1 accel tcg boot-timeout-ms "${TIMEOUT_MS:-120000}" host-pod-dir "$POD" \
    virtiofsd ${#v[@]} "${v[@]}" "${outputs[@]}" qemu ${#q[@]} "${q[@]}" > "$s1/rkt/vm"
}
# run_pod ARGS...: as stage0 does: cwd = pod dir, the pod dir flocked on fd 9, RKT_LOCK_FD=9.
run_pod() {
  (cd "$POD" && exec 9<. && flock -x -n 9 && RKT_LOCK_FD=9 exec ./stage1/rootfs/run "$@")
}
status_of() { cat "$POD/stage1/rootfs/rkt/status/$1" 2>/dev/null; }

# ---- a two-app pod: output, exit codes, the pod's status ----
new_pod 'echo out-a; echo err-a >&2; sleep 30' 'echo out-b; echo err-b >&2; sleep 1; exit 3'
run_pod "$UUID" > "$T/out" 2> "$T/err"
check "pod status: the first failing app's" 3 $?
check "both apps' stdout reaches the pod's" "out-a out-b" "$(sort "$T/out" | tr '\n' ' ' | sed 's/ $//')"
grep -q err-a "$T/err" && grep -q err-b "$T/err" && ! grep -q out- "$T/err" &&
  pass "both apps' stderr reaches the pod's" || fail "stderr: $(cat "$T/err")"
check "app b's exit code" 3 "$(status_of b)"
check "app a was stopped by SIGTERM" 143 "$(status_of a)"
check "flavor link" kvm "$(readlink "$POD/flavor")"
[ -f "$POD/pid" ] && ! kill -0 "$(cat "$POD/pid")" 2>/dev/null && pass "qemu is gone" ||
  fail "qemu pid"
(cd "$POD" && ./stage1/rootfs/gc "$UUID") && pass "gc" || fail "gc"
[ ! -e "$POD/vm/fs.sock" ] && [ ! -e "$POD/vm/agent.sock" ] && pass "gc removed the sockets" ||
  fail "sockets left: $(ls "$POD/vm")"

# ---- enter and an orderly stop ----
new_pod 'while true; do sleep 0.2; done'
run_pod "$UUID" > "$T/out2" 2> "$T/err2" &
pods=$!
pids+=("$pods")
for _ in $(seq 600); do [ -S "$POD/vm/agent.sock" ] && break; sleep 0.1; done
out=$(cd "$POD" && ./stage1/rootfs/enter --pid=1 --appname=a -- /bin/sh -c 'echo "in $APP"; exit 5')
check "enter: exit code" 5 $?
check "enter: output and environment" "in a" "$out"
(cd "$POD" && ./stage1/rootfs/enter --pid=1 --appname=nope -- /bin/true 2> "$T/enter-err")
check "enter: unknown app" 254 $?
(cd "$POD" && ./stage1/rootfs/stop "$UUID") && pass "stop" || fail "stop"
wait "$pods"
check "stopped pod's status" 143 $?
check "stopped app's exit code" 143 "$(status_of a)"

# ---- faults ----
new_pod true
run_pod --net=host "$UUID" 2> "$T/err3"
check "--net=host refused" 254 $?
grep -q "cannot share the host's network" "$T/err3" && pass "--net=host message" || fail "$(cat "$T/err3")"
rm "$POD/stage1/rootfs/kernel/vmlinux"
run_pod "$UUID" 2> "$T/err4"
check "missing kernel refused" 254 $?
grep -q "kernel missing" "$T/err4" && pass "missing kernel message" || fail "$(cat "$T/err4")"

echo "$failures failure(s)"
[ "$failures" = 0 ]
