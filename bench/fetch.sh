#!/bin/sh
# jrkt fetch of a ~100 MB gzip ACI into an empty store, against its floor: sha512sum of the
# file and tar -xzf of it into an empty directory on the same file system.
set -eu
. "$(dirname "$0")/lib.sh"
work=$1
runs=${BENCH_FETCH_RUNS:-5}

aci=$work/big.aci
sh "$ROOT/scripts/make-test-aci.sh" --name example.com/bench-big --random-mb 96 "$aci"
size=$(du -m "$aci" | cut -f1)

echo "fetch: ${size} MB gzip ACI" >&2
bench fetch "floor: sha512sum + tar -xzf (${size} MB)" "$runs" \
  "rm -rf $work/floor && mkdir $work/floor && sync" \
  "sha512sum $aci >/dev/null && tar -xzf $aci -C $work/floor"
bench fetch "jrkt fetch (${size} MB)" "$runs" \
  "rm -rf $work/fetch-data && sync" \
  "$JRKT --dir=$work/fetch-data fetch --insecure-options=image $aci"
rm -rf "$work/floor" "$work/fetch-data"
