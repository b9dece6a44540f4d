#!/bin/sh
# Installs the built CLI: jars and the JNI library into LIB, the launcher into BIN,
# and BIN/rkt as a link to BIN/jrkt (the kubelet's --rkt-path).
set -eu
target=$1 bin=$2 lib=$3
mkdir -p "$bin" "$lib"
rm -f "$lib"/*.jar
cp "$target/jrkt-engine.jar" "$lib/"
cp "$target"/runtime-jars/*.jar "$lib/"
cp "$target/libjrkt.so" "$lib/"
# Copied aside and renamed: a running pod may be executing the installed one.
cp "$target/jrkt-overlay" "$lib/jrkt-overlay.tmp"
mv -f "$lib/jrkt-overlay.tmp" "$lib/jrkt-overlay"
# Fixed order: the class-data archive only matches the class path it was made with.
cp_list='$LIB/jrkt-engine.jar:$LIB/jrkt-aci-image.jar'
for j in "$lib"/*.jar; do
  n=$(basename "$j")
  case "$n" in jrkt-engine.jar|jrkt-aci-image.jar) ;; *) cp_list="$cp_list:\$LIB/$n" ;; esac
done
sed "s|@CLASSPATH@|$cp_list|" "$(dirname "$0")/jrkt.in" > "$bin/jrkt.tmp"
chmod 0755 "$bin/jrkt.tmp"
mv -f "$bin/jrkt.tmp" "$bin/jrkt"
ln -sfn jrkt "$bin/rkt"
