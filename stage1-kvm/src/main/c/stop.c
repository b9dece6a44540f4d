/*
 * stop [--force] UUID: an orderly stop sends SIGTERM to the run process (the pid in "ppid"),
 * which asks the guest to SIGTERM the apps; their exit codes are recorded as they exit and the
 * VM powers off. --force sends SIGKILL to qemu (the pid in "pid"): the VM ends at once, no exit
 * codes are recorded, and the run process then exits and releases the pod lock. Returns once
 * the signal is sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvm.h"

/* Pids are reused: only a process whose cwd is this pod directory is the pod's. */
static int runs_in_pod_dir(long pid) {
  char link[64], cwd[PATH_MAX], pod_dir[PATH_MAX];
  snprintf(link, sizeof link, "/proc/%ld/cwd", pid);
  ssize_t n = readlink(link, cwd, sizeof cwd - 1);
  if (n < 0) {
    return 0;
  }
  cwd[n] = '\0';
  if (getcwd(pod_dir, sizeof pod_dir) == NULL) {
    die_errno("stop: getcwd");
  }
  return strcmp(cwd, pod_dir) == 0;
}

int kvm_stop_main(int argc, char **argv) {
  int force = 0;
  const char *uuid = stop_parse_args(argc, argv, &force);
  const char *file = force ? "pid" : "ppid";
  long pid = read_decimal_file(file);
  if (pid <= 0 && force) {
    file = "ppid"; /* qemu not started yet: end the run process, qemu dies with it */
    pid = read_decimal_file(file);
  }
  if (pid <= 0) {
    pid = stop_read_pid(uuid, file);
  }
  if (!runs_in_pod_dir(pid)) {
    debugf("stop: pod %s: pid %ld (%s) is not the pod's any more", uuid, pid, file);
    return 0;
  }
  int sig = force ? SIGKILL : SIGTERM;
  debugf("stop: pod %s: %s to pid %ld (%s)", uuid, strsignal(sig), pid, file);
  if (kill((pid_t)pid, sig) != 0 && errno != ESRCH) {
    die_errno("stop: pod %s: signal pid %ld", uuid, pid);
  }
  return 0;
}
