#!/bin/sh
# PID 1 of a test node's fresh PID, mount, UTS, IPC and cgroup namespaces: gives systemd a
# private /run, /tmp, /var and /dev, hides every host unit and generator, mounts a cgroup2 that
# shows only the node's own cgroup, then execs systemd. Any failed step aborts before systemd
# starts (set -e). Usage: node-init.sh UNIT_DIR [no-machined]
set -eu
units=$1
machined=${2:-machined}

mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /var
mkdir -p -m 1777 /var/tmp
mkdir -p /var/log/journal /var/lib/systemd /var/lib/dbus /var/cache /var/lib/machines
ln -s /run /var/run
ln -s /run/lock /var/lock
mkdir -p /run/lock /run/systemd/system /run/jrkt-node/empty
# -P: unit aliases stay symlinks (a copy would be a second unit with the same bus name).
cp -P "$units"/* /run/systemd/system/

# No host unit, generator or sysinit.target.wants unit may run here.
mount --bind /run/jrkt-node/empty /etc/systemd/system
mount --bind /run/jrkt-node/empty /usr/lib/systemd/system
mount --bind /run/jrkt-node/empty /usr/lib/systemd/system-generators
# A node without machined: no D-Bus activation file may name it either.
if [ "$machined" = no-machined ]; then
  mount --bind /run/jrkt-node/empty /usr/share/dbus-1/system-services
fi

# A private /dev, so that nothing (journald's /dev/log link...) lands in the host's.
mount -t tmpfs -o mode=755,nosuid tmpfs /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/zero c 1 5
mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8
mknod -m 666 /dev/urandom c 1 9
mknod -m 666 /dev/tty c 5 0
mknod -m 600 /dev/console c 1 3
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
mount -t tmpfs -o mode=1777 tmpfs /dev/shm

# Inside the cgroup namespace a cgroup2 mount shows only the node's cgroup subtree.
umount -R /sys/fs/cgroup
mount -t cgroup2 cgroup2 /sys/fs/cgroup

mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
if [ -e /proc/sysrq-trigger ]; then
  mount --bind /proc/sysrq-trigger /proc/sysrq-trigger
  mount -o remount,bind,ro /proc/sysrq-trigger
fi
mount -o remount,bind,ro /sys

exec env -i container=jrkt-test-node \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /usr/lib/systemd/systemd --unit=jrkt-node.target --show-status=no --log-level=info
