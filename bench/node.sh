# A private systemd "node" for the unit and log benchmarks (sourced, not run): the same recipe
# as the functional tests' TestNode (tests/src/test/resources/io/jrkt/tests/node): systemd as
# PID 1 of its own PID, mount and cgroup namespaces, in a child cgroup made here, with journald
# and the system bus; every host unit and generator hidden.
#   node_boot DIR   boots it (files in DIR); sets NODE_PID (its systemd, host PID)
#   node_stop       kills it, then removes its cgroup and files
#   on_node CMD...  runs CMD in the node's mount and PID namespaces

NODE_RES=$ROOT/tests/src/test/resources/io/jrkt/tests/node

node_boot() {
  NODE_DIR=$1
  NODE_CGROUP=/sys/fs/cgroup/unified/jrkt-bench-node-$$
  mkdir -p "$NODE_DIR/units"
  for u in systemd-journald.service systemd-journald.socket systemd-journald-dev-log.socket \
      dbus.service dbus.socket; do
    cp "/usr/lib/systemd/system/$u" "$NODE_DIR/units/"
  done
  for u in jrkt-node.target sysinit.target basic.target sockets.target shutdown.target; do
    cp "$NODE_RES/$u" "$NODE_DIR/units/"
  done
  mkdir "$NODE_CGROUP"
  setsid sh -c "echo \$\$ > $NODE_CGROUP/cgroup.procs && exec unshare --pid --mount --uts \
    --ipc --cgroup --fork --propagation private --mount-proc /bin/sh $NODE_RES/node-init.sh \
    $NODE_DIR/units" </dev/null >"$NODE_DIR/node.log" 2>&1 &
  NODE_UNSHARE=$!
  NODE_PID=
  i=0
  while [ -z "$NODE_PID" ] && [ $i -lt 1000 ]; do
    NODE_PID=$(cat "/proc/$NODE_UNSHARE/task/$NODE_UNSHARE/children" 2>/dev/null | awk '{print $1}')
    [ -n "$NODE_PID" ] || sleep 0.01
    i=$((i + 1))
  done
  [ -n "$NODE_PID" ] || { node_stop; die "node did not start: $(cat "$NODE_DIR/node.log")"; }
  i=0
  until [ "$(on_node systemctl is-system-running 2>/dev/null)" = running ] \
      && [ -S "/proc/$NODE_PID/root/run/dbus/system_bus_socket" ]; do
    i=$((i + 1))
    [ $i -lt 1500 ] || { node_stop; die "node not running: $(cat "$NODE_DIR/node.log")"; }
    sleep 0.02
  done
}

on_node() {
  nsenter -t "$NODE_PID" -m -p -- "$@"
}

node_stop() {
  if [ -n "${NODE_PID:-}" ] && [ "$(awk '/^PPid:/ { print $2 }' /proc/$NODE_PID/status \
      2>/dev/null)" = "$NODE_UNSHARE" ]; then
    kill -9 "$NODE_PID"
  fi
  wait "$NODE_UNSHARE" 2>/dev/null || true
  if [ -d "$NODE_CGROUP" ]; then
    if [ -n "$(cat "$NODE_CGROUP/cgroup.procs")" ] && [ -f "$NODE_CGROUP/cgroup.kill" ]; then
      echo 1 > "$NODE_CGROUP/cgroup.kill"
      sleep 0.2
    fi
    find "$NODE_CGROUP" -depth -type d -exec rmdir {} \;
  fi
  NODE_PID=
}
