#!/bin/sh
# Takes the guest kernel for stage1-kvm out of Debian's linux-image-cloud-amd64 without
# installing it (installing a kernel package changes the host's boot configuration):
# `apt-get download` of the package the metapackage depends on, `dpkg-deb -x`, then the
# uncompressed ELF vmlinux (the PVH entry point qemu boots directly) is cut out of the bzImage,
# along with the few modules the guest needs (debug sections stripped).
#
# usage: fetch-kernel.sh CACHEDIR
#
# Writes CACHEDIR/<kernel release>/{vmlinux,modules/*.ko,release} and points CACHEDIR/current
# at it; a kernel already there is reused. Prints the kernel's directory.
set -eu
cache=$1
# The guest's modules, dependencies first (the guest loads them in this order).
MODULES="virtio virtio_ring virtio_mmio virtio_console fuse virtiofs failover net_failover virtio_net"

meta=linux-image-cloud-amd64
resolve() {
  apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' |
    head -1
}
pkg=$(resolve)
if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
  # A fresh machine may have no package lists yet.
  apt-get update -q -o DPkg::Lock::Timeout=600 >/dev/null 2>&1 || true
  pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
  echo "fetch-kernel: cannot resolve $meta to a kernel package (run apt-get update?)" >&2
  exit 1
fi
release=${pkg#linux-image-}
dir=$cache/$release
have_all() {
  [ -f "$dir/vmlinux" ] && [ -f "$dir/release" ] && [ -f "$dir/modules/order" ] || return 1
  for m in $MODULES; do [ -f "$dir/modules/$m.ko" ] || return 1; done
}
if have_all; then
  ln -sfn "$release" "$cache/current"
  echo "$dir"
  exit 0
fi

work=$cache/.work.$$
trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work"
(cd "$work" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
  echo "fetch-kernel: apt-get download $pkg failed" >&2
  exit 1
}
dpkg-deb -x "$work"/"$pkg"_*.deb "$work/x"
bz=$work/x/boot/vmlinuz-$release

# bzImage: setup_sects at 0x1f1, payload_offset at 0x248; the payload starts at
# (setup_sects + 1) * 512 + payload_offset.
u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
setup_sects=$(u8 "$bz" $((0x1f1)))
[ "$setup_sects" -eq 0 ] && setup_sects=4
payload=$(( (setup_sects + 1) * 512 + $(u32 "$bz" $((0x248))) ))
length=$(u32 "$bz" $((0x24c)))
tail -c +$((payload + 1)) "$bz" | head -c "$length" > "$work/payload"
magic=$(od -An -tx1 -N4 "$work/payload" | tr -d ' ')
case $magic in
  02214c18) lz4 -dc < "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
  1f8b*) gzip -dc < "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
  fd377a58) xz -dc < "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
  28b52ffd) zstd -dc < "$work/payload" > "$work/vmlinux" 2>/dev/null || true ;;
  *) echo "fetch-kernel: $bz: unknown payload compression (magic $magic)" >&2; exit 1 ;;
esac
if [ "$(od -An -tx1 -N4 "$work/vmlinux" | tr -d ' ')" != 7f454c46 ]; then
  echo "fetch-kernel: $bz: the decompressed payload is not an ELF vmlinux" >&2
  exit 1
fi

mkdir -p "$work/out/modules"
mv "$work/vmlinux" "$work/out/vmlinux"
for m in $MODULES; do
  f=$(find "$work/x/lib/modules/$release" -name "$m.ko" | head -1)
  if [ -z "$f" ]; then
    echo "fetch-kernel: $pkg has no module $m.ko" >&2
    exit 1
  fi
  # Without debug sections and BTF the guest loads them faster, and without the appended signature it
  # skips checking it (Debian's kernel does not enforce module signatures; the initramfs is
  # ours). The guest kernel then notes itself as tainted by an unsigned module.
  strip --strip-debug --remove-section=.BTF -o "$work/out/modules/$m.ko" "$f"
  echo "$m" >> "$work/out/modules/order"
done
echo "$release" > "$work/out/release"
rm -rf "$dir"
mv "$work/out" "$dir"
ln -sfn "$release" "$cache/current"
echo "$dir"
