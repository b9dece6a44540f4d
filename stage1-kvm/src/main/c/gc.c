/*
 * gc [--debug] [--local-config=DIR] UUID: the VM's processes die with the run process, and all
 * of the pod's mounts were inside the VM. What is left on the host is the pod directory's "vm"
 * runtime directory (sockets, logs), which goes with the directory; as a safety net, a
 * virtiofsd still recorded and still serving this pod directory is killed, and anything still
 * mounted at or below the pod directory is unmounted (stage1-fly's gc).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kvm.h"

static void kill_if_in_pod_dir(const char *file) {
  long pid = read_decimal_file(file);
  if (pid <= 0) {
    return;
  }
  char link[64], cwd[PATH_MAX], pod_dir[PATH_MAX];
  snprintf(link, sizeof link, "/proc/%ld/cwd", pid);
  ssize_t n = readlink(link, cwd, sizeof cwd - 1);
  if (n < 0 || getcwd(pod_dir, sizeof pod_dir) == NULL) {
    return;
  }
  cwd[n] = '\0';
  if (strcmp(cwd, pod_dir) == 0) {
    debugf("gc: killing leftover pid %ld (%s)", pid, file);
    kill((pid_t)pid, SIGKILL);
  }
}

int kvm_gc_main(int argc, char **argv) {
  kill_if_in_pod_dir("pid");
  kill_if_in_pod_dir(KVM_VIRTIOFSD_PID);
  unlink(KVM_AGENT_SOCKET);
  unlink(KVM_FS_SOCKET);
  return gc_main(argc, argv);
}
