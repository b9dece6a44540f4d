#!/bin/sh
# Builds stage1-fly.aci into BIN: one static multi-call binary, hard-linked as the entrypoints
# run, enter, stop and gc, plus the stage1 image manifest. The archive is reproducible (sorted
# names, fixed owners and times) and replaces the old one atomically.
#
# usage: build-stage1.sh TARGETDIR BINDIR
set -eu
target=$1 bin=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/c
. "$here/stage1-aci.sh"
work=$target/stage1-fly-image

rm -rf "$work"
mkdir -p "$work/rootfs" "$bin"
chmod 0755 "$work/rootfs"

${CC:-gcc} -static -O2 -Wall -Werror -s -o "$work/rootfs/run" "$src"/*.c
chmod 0755 "$work/rootfs/run"
for entrypoint in enter stop gc; do
  ln "$work/rootfs/run" "$work/rootfs/$entrypoint"
done

write_stage1_manifest "$work/manifest" coreos.com/rkt/stage1-fly /run
pack_aci "$work" "$bin/stage1-fly.aci"
