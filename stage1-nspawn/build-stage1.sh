#!/bin/sh
# Builds stage1-coreos.aci (the nspawn flavor) into TARGETDIR: one static multi-call binary,
# hard-linked as the entrypoints init, supervisor, enter, stop and gc, an empty /usr (which
# systemd-nspawn requires of a tree) and the stage1 image manifest. The run plan parser, the
# safe mount code and the helpers are stage1-fly's sources, compiled in. The archive is
# reproducible (sorted names, fixed owners and times) and replaces the old one atomically.
#
# usage: build-stage1.sh TARGETDIR BINDIR
#
# The image goes next to the launcher (BINDIR/stage1-coreos.aci, which makes it the default
# stage1) only when INSTALL_STAGE1_COREOS_IN_BIN=yes; by default it stays in TARGETDIR.
set -eu
target=$1 bin=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/src/main/c
shared=$here/../stage1-fly/src/main/c
work=$target/stage1-coreos-image

rm -rf "$work"
mkdir -p "$work/rootfs/usr" "$target"
chmod 0755 "$work/rootfs" "$work/rootfs/usr"

${CC:-gcc} -static -O2 -Wall -Werror -s -I"$shared" -o "$work/rootfs/init" "$src"/*.c \
  "$shared/util.c" "$shared/plan.c" "$shared/mounts.c" "$shared/gc.c"
chmod 0755 "$work/rootfs/init"
for entrypoint in supervisor enter stop gc; do
  ln "$work/rootfs/init" "$work/rootfs/$entrypoint"
done

cat > "$work/manifest" <<'JSON'
{
    "acKind": "ImageManifest",
    "acVersion": "0.8.11",
    "name": "coreos.com/rkt/stage1-coreos",
    "labels": [
        {"name": "version", "value": "1.30.0"},
        {"name": "os", "value": "linux"},
        {"name": "arch", "value": "amd64"}
    ],
    "annotations": [
        {"name": "coreos.com/rkt/stage1/run", "value": "/init"},
        {"name": "coreos.com/rkt/stage1/enter", "value": "/enter"},
        {"name": "coreos.com/rkt/stage1/gc", "value": "/gc"},
        {"name": "coreos.com/rkt/stage1/stop", "value": "/stop"},
        {"name": "coreos.com/rkt/stage1/interface-version", "value": "5"}
    ]
}
JSON
chmod 0644 "$work/manifest"

tmp=$target/.stage1-coreos.aci.$$
trap 'rm -f "$tmp"' EXIT
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=ustar \
  -C "$work" -cf "$tmp" manifest rootfs
mv -f "$tmp" "$target/stage1-coreos.aci"
trap - EXIT

if [ "${INSTALL_STAGE1_COREOS_IN_BIN:-no}" = yes ]; then
  mkdir -p "$bin"
  cp "$target/stage1-coreos.aci" "$bin/.stage1-coreos.aci.$$"
  mv -f "$bin/.stage1-coreos.aci.$$" "$bin/stage1-coreos.aci"
fi
