#!/bin/sh
# Builds stage1-fly.aci into BIN: static entrypoints plus the stage1 image manifest.
set -eu
echo "stage1-fly: not built yet" >&2
