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
# What the fetch figure includes: the floor always unpacks; say whether jrkt renders at fetch.
rm -rf "$work/fetch-data"
"$JRKT" --dir="$work/fetch-data" fetch --insecure-options=image "$aci" >/dev/null
trees=$(find "$work/fetch-data/cas/tree" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
if [ "$trees" -gt 0 ]; then
  note "jrkt fetch stores the blob and renders the image's tree ($trees tree) before it returns."
else
  note "jrkt fetch stores the blob only; the tree is rendered by the first run, prepare or render."
fi
rm -rf "$work/floor" "$work/fetch-data"
