#!/bin/sh
# Installs the Debian 12 packages jrkt needs to build, test and benchmark.
# Idempotent: asks apt only for packages that are not installed yet, so a
# second run costs one dpkg-query.
set -eu
# docker-registry: the OCI fetch tests start their own instance on 127.0.0.1 with a private
# storage directory and config; the packaged service (port 5000) is neither needed nor used.

PACKAGES="
openjdk-17-jdk-headless
maven
gcc
libc6-dev
linux-libc-dev
make
busybox-static
umoci
gnupg
systemd-container
systemd
dbus
util-linux
iproute2
containernetworking-plugins
iptables
qemu-system-x86
cpio
lz4
tar
gzip
bzip2
xz-utils
zstd
hyperfine
time
skopeo
docker-registry
apache2-utils
"

missing=
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages:$missing (run as root to install them)" >&2
  exit 1
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run instead of failing on its lock.
apt_opts="-y -q -o DPkg::Lock::Timeout=600 --no-install-recommends"
# shellcheck disable=SC2086
if ! apt-get install $apt_opts $missing; then
  # A stale package list is the usual cause on a fresh machine.
  apt-get update -q -o DPkg::Lock::Timeout=600
  # shellcheck disable=SC2086
  apt-get install $apt_opts $missing
fi
