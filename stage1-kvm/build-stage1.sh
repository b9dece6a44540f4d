#!/bin/sh
# Builds stage1-kvm.aci into TARGETDIR:
#   /run, /enter, /stop, /gc   the host side: one static binary, hard-linked
#   /kernel/vmlinux            Debian's cloud kernel, uncompressed (PVH entry), see fetch-kernel.sh
#   /kernel/initramfs          newc cpio: the guest's /init (static) and the virtio modules
# and the stage1 image manifest (name coreos.com/rkt/stage1-kvm, as rkt's). The run plan parser,
# the safe mount code and the helpers are stage1-fly's sources, compiled into both binaries.
# The archive is reproducible (sorted names, fixed owners and times) and replaces the old one
# atomically; it is copied next to the launcher (BINDIR/stage1-kvm.aci).
#
# usage: build-stage1.sh TARGETDIR BINDIR
#
# The kernel is cached in $JRKT_KERNEL_CACHE (default ~/.cache/jrkt/kernel). When it cannot be
# fetched (no package registry), the image is built without it and a pod fails at once with
# "kernel missing"; the build says so.
set -eu
target=$1 bin=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/c
shared=$here/../stage1-fly/src/main/c
. "$here/../stage1-fly/stage1-aci.sh"
work=$target/stage1-kvm-image
cache=${JRKT_KERNEL_CACHE:-${HOME:-/root}/.cache/jrkt/kernel}
cc=${CC:-gcc}
cflags="-static -O2 -Wall -Werror -s -I$shared -I$src"
common="$src/spec.c $src/proto.c $shared/util.c $shared/plan.c $shared/mounts.c $shared/entry.c"

rm -rf "$work"
mkdir -p "$work/rootfs/kernel" "$work/initramfs/lib/modules" "$target"
chmod 0755 "$work/rootfs" "$work/rootfs/kernel"

# shellcheck disable=SC2086
$cc $cflags -o "$work/rootfs/run" "$src"/main.c "$src"/run.c "$src"/output.c "$shared/journal.c" "$src"/net.c "$src"/dns.c "$src"/enter.c "$src"/stop.c \
  "$src"/gc.c "$shared/gc.c" $common
chmod 0755 "$work/rootfs/run"
for entrypoint in enter stop gc; do
  ln "$work/rootfs/run" "$work/rootfs/$entrypoint"
done

# The guest applies the apps' isolators with stage1-nspawn's code (shared isolators.c, seccomp.c).
mkdir -p "$work/generated"
"$here/../stage1-fly/gen-syscall-table.sh" "$work/generated/syscall_table.h"
# shellcheck disable=SC2086
$cc $cflags -I"$work/generated" -o "$work/initramfs/init" "$src"/guest/init.c "$src"/guest/agent.c \
  "$src"/guest/net.c "$src"/guest/dns.c "$src"/guest/limits.c "$shared/isolators/isolators.c" \
  "$shared/isolators/seccomp.c" $common
for d in dev proc sys pod; do
  mkdir -p "$work/initramfs/$d"
done

if kernel=$("$here/fetch-kernel.sh" "$cache"); then
  cp "$kernel/vmlinux" "$work/rootfs/kernel/vmlinux"
  cp "$kernel/release" "$work/rootfs/kernel/release"
  cp "$kernel/modules/"*.ko "$kernel/modules/order" "$work/initramfs/lib/modules/"
else
  echo "build-stage1: WARNING: no guest kernel; stage1-kvm.aci is built without one and its" \
    "pods will fail with \"kernel missing\"" >&2
fi
chmod 0644 "$work/rootfs/kernel/"* 2>/dev/null || true
(cd "$work/initramfs" && find . -mindepth 1 | LC_ALL=C sort |
  cpio --quiet -o -H newc -R 0:0 --reproducible > "$work/rootfs/kernel/initramfs")
chmod 0644 "$work/rootfs/kernel/initramfs"

write_stage1_manifest "$work/manifest" coreos.com/rkt/stage1-kvm /run
pack_aci "$work" "$target/stage1-kvm.aci"

mkdir -p "$bin"
cp "$target/stage1-kvm.aci" "$bin/.stage1-kvm.aci.$$"
mv -f "$bin/.stage1-kvm.aci.$$" "$bin/stage1-kvm.aci"
