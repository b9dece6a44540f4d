#!/bin/sh
# Builds stage1-coreos.aci (the nspawn flavor) into TARGETDIR: one static multi-call binary,
# hard-linked as the entrypoints init, supervisor, enter, stop and gc, an empty /usr (which
# systemd-nspawn requires of a tree) and the stage1 image manifest. The run plan parser, the
# safe mount code, the entrypoints' shared parts and the helpers are stage1-fly's sources,
# compiled in; so is the packaging (stage1-aci.sh). The archive is reproducible (sorted names,
# fixed owners and times) and replaces the old one atomically.
#
# usage: build-stage1.sh TARGETDIR BINDIR
#
# The image goes to TARGETDIR and next to the launcher (BINDIR/stage1-coreos.aci), where it is
# the default stage1.
set -eu
target=$1 bin=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/c
shared=$here/../stage1-fly/src/main/c
. "$here/../stage1-fly/stage1-aci.sh"
work=$target/stage1-coreos-image

rm -rf "$work"
mkdir -p "$work/rootfs/usr" "$target"
chmod 0755 "$work/rootfs" "$work/rootfs/usr"

# The seccomp filter's syscall numbers come from the kernel headers (linux-libc-dev).
mkdir -p "$work/generated"
"$here/../stage1-fly/gen-syscall-table.sh" "$work/generated/syscall_table.h"
${CC:-gcc} -static -O2 -Wall -Werror -s -I"$shared" -I"$work/generated" \
  -o "$work/rootfs/init" "$src"/*.c \
  "$shared/util.c" "$shared/plan.c" "$shared/mounts.c" "$shared/gc.c" "$shared/entry.c" \
  "$shared/journal.c" "$shared/isolators/isolators.c" "$shared/isolators/seccomp.c"
chmod 0755 "$work/rootfs/init"
for entrypoint in supervisor enter stop gc; do
  ln "$work/rootfs/init" "$work/rootfs/$entrypoint"
done

write_stage1_manifest "$work/manifest" coreos.com/rkt/stage1-coreos /init
pack_aci "$work" "$target/stage1-coreos.aci"

mkdir -p "$bin"
cp "$target/stage1-coreos.aci" "$bin/.stage1-coreos.aci.$$"
mv -f "$bin/.stage1-coreos.aci.$$" "$bin/stage1-coreos.aci"
