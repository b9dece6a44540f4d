#!/bin/sh
# Makes the api-service benchmark's data directory: IMAGES images and PODS exited pods, each
# managed by the kubelet (annotations as the kubelet writes them).
#
# The first REAL (20) pods are run with the fly stage1. The others are copies of their records:
# a new UUID, the pod manifest with its own pod uid and app name, and the files the API reads
# (pod-created, pid, pgid, flavor, stage1 manifest, app manifest, exit status), but not the app
# trees, which no API call reads. A JVM start per pod would make setting up 1,000 pods take most
# of an hour on a busy 2-core machine.
#
# Usage: api-setup.sh DATA_DIR WORK_DIR [PODS [IMAGES]]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JRKT=${JRKT:-$ROOT/bin/jrkt}
data=$1 work=$2 pods=${3:-1000} images=${4:-100}
real=${REAL:-20}
mkdir -p "$work/img"

# Images: one busybox ACI, renamed 100 times (each name gives its own manifest and image ID).
sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-api-0 --compress none \
  "$work/base.aci" -- /bin/true
rm -rf "$work/base" && mkdir "$work/base" && tar -xf "$work/base.aci" -C "$work/base"
i=0
list=
while [ "$i" -lt "$images" ]; do
  sed "s|\"example.com/bench-api-0\"|\"example.com/bench-api-$i\"|" "$work/base/manifest" \
    > "$work/img/manifest"
  tar -cf "$work/img/img-$i.aci" -C "$work/img" manifest -C "$work/base" rootfs
  list="$list $work/img/img-$i.aci"
  i=$((i + 1))
done
# shellcheck disable=SC2086
"$JRKT" --dir="$data" fetch --insecure-options=image --full $list > "$work/ids"
rm -rf "$work/img" "$work/base"

manifest() { # N IMAGE_ID
  cat <<JSON
{"acKind":"PodManifest","acVersion":"0.8.11","apps":[{"name":"app-$1","image":{"id":"$2"},
"annotations":[{"name":"io.kubernetes.container.hash","value":"$1"}]}],"volumes":null,
"isolators":null,"annotations":[{"name":"rkt.kubernetes.io/managed-by-kubelet","value":"true"},
{"name":"io.kubernetes.pod.uid","value":"uid-$1"}],"ports":null}
JSON
}

i=0
while [ "$i" -lt "$real" ] && [ "$i" -lt "$pods" ]; do
  manifest "$i" "$(sed -n "$((i % images + 1))p" "$work/ids")" > "$work/pod.json"
  # Copied pods need their records on the host: no overlay (its upper layer has them too).
  "$JRKT" --dir="$data" run --stage1-name=coreos.com/rkt/stage1-fly --no-overlay \
    --uuid-file-save="$work/uuid-$i" --pod-manifest="$work/pod.json" >/dev/null 2>&1 \
    || { echo "pod $i did not run" >&2; exit 1; }
  i=$((i + 1))
done

run=$data/pods/run
while [ "$i" -lt "$pods" ]; do
  n=$((i % real))
  src=$run/$(cat "$work/uuid-$n")
  uuid=$(cat /proc/sys/kernel/random/uuid)
  dst=$run/$uuid
  mkdir -m 2750 "$dst.tmp"
  manifest "$i" "$(sed -n "$((i % images + 1))p" "$work/ids")" | tr -d '\n' > "$dst.tmp/pod"
  touch -r "$src/pod" "$dst.tmp/pod"
  cp -a "$src/pod-created" "$src/pid" "$src/pgid" "$src/flavor" "$src/stage1TreeStoreID" \
    "$dst.tmp/"
  mkdir -p "$dst.tmp/stage1/rootfs/rkt/status" "$dst.tmp/appsinfo/app-$i"
  cp -a "$src/stage1/manifest" "$dst.tmp/stage1/"
  cp -a "$src/appsinfo/app-$n/manifest" "$dst.tmp/appsinfo/app-$i/"
  cp -a "$src/stage1/rootfs/rkt/status/app-$n" "$dst.tmp/stage1/rootfs/rkt/status/app-$i"
  mv "$dst.tmp" "$dst"
  i=$((i + 1))
done
