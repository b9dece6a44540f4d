#!/bin/sh
# Builds stage1-fly.aci into BIN: one static multi-call binary, hard-linked as the entrypoints
# run, enter, stop and gc, plus the stage1 image manifest. The archive is reproducible (sorted
# names, fixed owners and times) and replaces the old one atomically.
#
# usage: build-stage1.sh TARGETDIR BINDIR
set -eu
target=$1 bin=$2
src=$(cd "$(dirname "$0")" && pwd)/src/main/c
work=$target/stage1-fly-image

rm -rf "$work"
mkdir -p "$work/rootfs" "$bin"
chmod 0755 "$work/rootfs"

${CC:-gcc} -static -O2 -Wall -Werror -s -o "$work/rootfs/run" "$src"/*.c
chmod 0755 "$work/rootfs/run"
for entrypoint in enter stop gc; do
  ln "$work/rootfs/run" "$work/rootfs/$entrypoint"
done

cat > "$work/manifest" <<'JSON'
{
    "acKind": "ImageManifest",
    "acVersion": "0.8.11",
    "name": "coreos.com/rkt/stage1-fly",
    "labels": [
        {"name": "version", "value": "1.30.0"},
        {"name": "os", "value": "linux"},
        {"name": "arch", "value": "amd64"}
    ],
    "annotations": [
        {"name": "coreos.com/rkt/stage1/run", "value": "/run"},
        {"name": "coreos.com/rkt/stage1/enter", "value": "/enter"},
        {"name": "coreos.com/rkt/stage1/gc", "value": "/gc"},
        {"name": "coreos.com/rkt/stage1/stop", "value": "/stop"},
        {"name": "coreos.com/rkt/stage1/interface-version", "value": "5"}
    ]
}
JSON
chmod 0644 "$work/manifest"

tmp=$bin/.stage1-fly.aci.$$
trap 'rm -f "$tmp"' EXIT
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=ustar \
  -C "$work" -cf "$tmp" manifest rootfs
mv -f "$tmp" "$bin/stage1-fly.aci"
trap - EXIT
