#!/bin/sh
# Installs the api-service: its jar and the jars only it needs into LIB/api (loaded by
# `jrkt api-service` alone, so other commands never load gRPC), and the systemd unit files,
# pointing at BIN/jrkt, into LIB/systemd.
set -eu
target=$1 bin=$2 lib=$3 dist=$(dirname "$0")
mkdir -p "$lib"
rm -rf "$lib/api.new"
mkdir "$lib/api.new"
cp "$target/jrkt-api-service.jar" "$target"/api-jars/*.jar "$lib/api.new/"
rm -rf "$lib/api"
mv "$lib/api.new" "$lib/api"
mkdir -p "$lib/systemd"
for u in jrkt-api.service jrkt-api.socket; do
  sed "s|@BIN@|$bin|g" "$dist/systemd/$u" > "$lib/systemd/$u.tmp"
  mv -f "$lib/systemd/$u.tmp" "$lib/systemd/$u"
done
