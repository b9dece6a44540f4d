# Shared by the stage1 build scripts (sourced): the stage1 image manifest and the archive.

# write_stage1_manifest FILE NAME RUN: the manifest of stage1 image NAME whose run entrypoint is
# RUN; enter, gc and stop are /enter, /gc and /stop.
write_stage1_manifest() {
  cat > "$1" <<JSON
{
    "acKind": "ImageManifest",
    "acVersion": "0.8.11",
    "name": "$2",
    "labels": [
        {"name": "version", "value": "1.30.0"},
        {"name": "os", "value": "linux"},
        {"name": "arch", "value": "amd64"}
    ],
    "annotations": [
        {"name": "coreos.com/rkt/stage1/run", "value": "$3"},
        {"name": "coreos.com/rkt/stage1/enter", "value": "/enter"},
        {"name": "coreos.com/rkt/stage1/gc", "value": "/gc"},
        {"name": "coreos.com/rkt/stage1/stop", "value": "/stop"},
        {"name": "coreos.com/rkt/stage1/interface-version", "value": "5"}
    ]
}
JSON
  chmod 0644 "$1"
}

# pack_aci WORK ACI: archives WORK's manifest and rootfs into ACI reproducibly (sorted names,
# fixed owners and times) and replaces ACI atomically.
pack_aci() {
  pack_tmp=$(dirname "$2")/.$(basename "$2").$$
  trap 'rm -f "$pack_tmp"' EXIT
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --format=ustar \
    -C "$1" -cf "$pack_tmp" manifest rootfs
  mv -f "$pack_tmp" "$2"
  trap - EXIT
}
