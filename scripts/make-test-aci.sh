#!/bin/sh
# Builds a small ACI around a static busybox, for demos, benchmarks and the class-data archive.
#
# Usage: make-test-aci.sh [options] OUTPUT.aci [-- EXEC [ARGS...]]
#   --name NAME          image name (default example.com/busybox)
#   --version V          version label (default 1.0.0); --version '' leaves it out
#   --os OS --arch ARCH  os/arch labels (default: this host's); '' leaves one out
#   --env K=V            app environment entry (repeatable)
#   --dep NAME           dependency on another image by name (repeatable)
#   --file SRC:DEST      copies host file SRC to DEST inside rootfs (repeatable)
#   --random-mb N        adds N MiB of random data in /data/random.bin
#   --exit N             the app runs /bin/sh -c "exit N"
#   --no-busybox         rootfs gets no busybox (for base or data images)
#   --no-app             the manifest has no app section
#   --compress C         gzip (default), bzip2, xz, zstd or none
# Without an exec the app runs /bin/true. The archive is reproducible: same options, same image ID.
set -eu

die() { echo "make-test-aci: $*" >&2; exit 2; }

json_str() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

case "$(uname -m)" in
  x86_64) host_arch=amd64 ;;
  i?86) host_arch=i386 ;;
  *) host_arch=$(uname -m) ;;
esac
name=example.com/busybox version=1.0.0 os=linux arch=$host_arch
envs= deps= files= random_mb=0 busybox=/bin/busybox app=1 compress=gzip out=
exit_code=
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --os) os=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --env) envs="$envs$2
"; shift 2 ;;
    --dep) deps="$deps$2
"; shift 2 ;;
    --file) files="$files$2
"; shift 2 ;;
    --random-mb) random_mb=$2; shift 2 ;;
    --exit) exit_code=$2; shift 2 ;;
    --no-busybox) busybox=; shift ;;
    --no-app) app=; shift ;;
    --compress) compress=$2; shift 2 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) [ -z "$out" ] || die "more than one output file: $out, $1"; out=$1; shift ;;
  esac
done
[ -n "$out" ] || die "missing OUTPUT.aci"
if [ -n "$exit_code" ]; then
  set -- /bin/sh -c "exit $exit_code"
elif [ $# -eq 0 ]; then
  set -- /bin/true
fi
if [ -n "$busybox" ] && [ ! -x "$busybox" ]; then
  die "$busybox not found (install busybox-static)"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/jrkt-aci.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root/etc" "$root/tmp" "$root/dev" "$root/proc" "$root/sys"
chmod 1777 "$root/tmp"
if [ -n "$busybox" ]; then
  mkdir -p "$root/bin"
  cp "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\n' > "$root/etc/group"
fi
printf '%s' "$files" | while IFS= read -r spec; do
  [ -n "$spec" ] || continue
  src=${spec%%:*} dest=${spec#*:}
  mkdir -p "$root$(dirname "$dest")"
  cp "$src" "$root$dest"
done
if [ "$random_mb" -gt 0 ]; then
  mkdir -p "$root/data"
  head -c "$((random_mb * 1048576))" /dev/urandom > "$root/data/random.bin"
fi

# The manifest.
labels=
add_label() { [ -z "$2" ] || labels="$labels${labels:+,}{\"name\":\"$1\",\"value\":$(json_str "$2")}"; }
add_label version "$version"
add_label os "$os"
add_label arch "$arch"
{
  printf '{"acKind":"ImageManifest","acVersion":"0.8.11","name":%s,"labels":[%s]' \
    "$(json_str "$name")" "$labels"
  if [ -n "$app" ]; then
    printf ',"app":{"exec":['
    sep=
    for a in "$@"; do printf '%s%s' "$sep" "$(json_str "$a")"; sep=,; done
    printf '],"user":"0","group":"0","environment":['
    sep=
    printf '%s' "$envs" | while IFS= read -r kv; do
      [ -n "$kv" ] || continue
      printf '%s{"name":%s,"value":%s}' "$sep" "$(json_str "${kv%%=*}")" "$(json_str "${kv#*=}")"
      sep=,
    done
    printf ']}'
  fi
  if [ -n "$deps" ]; then
    printf ',"dependencies":['
    sep=
    printf '%s' "$deps" | while IFS= read -r d; do
      [ -n "$d" ] || continue
      printf '%s{"imageName":%s}' "$sep" "$(json_str "$d")"
      sep=,
    done
    printf ']'
  fi
  printf '}\n'
} > "$work/manifest"

tar_opts="--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu"
case "$compress" in
  gzip) filter="gzip -n -c" ;;
  bzip2) filter="bzip2 -c" ;;
  xz) filter="xz -c" ;;
  zstd) filter="zstd -q -c" ;;
  none) filter=cat ;;
  *) die "unknown compression $compress" ;;
esac
# shellcheck disable=SC2086
tar $tar_opts -C "$work" -cf - manifest rootfs | $filter > "$out.tmp"
mv -f "$out.tmp" "$out"
