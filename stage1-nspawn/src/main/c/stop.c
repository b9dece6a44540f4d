/*
 * stop [--force] UUID: SIGTERM to systemd-nspawn (the pid in "ppid"), which passes it to the
 * supervisor (--kill-signal=SIGTERM); the supervisor forwards it to the apps and records their
 * exits. --force sends SIGKILL to the supervisor instead, which ends the whole container at
 * once (no exit codes are recorded); nspawn then exits by itself and releases the pod lock.
 * Returns once the signal is sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nspawn.h"

/* Pids are reused: only a process whose argv has "-D <this pod's stage1 rootfs>" is our nspawn. */
static int is_pod_nspawn(long pid) {
  char path[64], pod_dir[PATH_MAX], rootfs[PATH_MAX];
  snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
  size_t size;
  char *cmdline = read_file(path, &size);
  if (cmdline == NULL) {
    return 0;
  }
  if (getcwd(pod_dir, sizeof pod_dir) == NULL) {
    die_errno("stop: getcwd");
  }
  if (snprintf(rootfs, sizeof rootfs, "%s/%s", pod_dir, NSPAWN_STAGE1_ROOTFS) >=
      (int)sizeof rootfs) {
    die("stop: pod directory %s: path too long", pod_dir);
  }
  int found = 0;
  for (size_t at = 0; at < size && !found;) {
    const char *arg = cmdline + at;
    size_t len = strlen(arg);
    if (strcmp(arg, "-D") == 0 && at + len + 1 < size) {
      found = strcmp(cmdline + at + len + 1, rootfs) == 0;
    }
    at += len + 1;
  }
  free(cmdline);
  return found;
}

/* The single child of pid (the container's PID 1), or -1. */
static long single_child(long pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", pid, pid);
  char *text = read_file(path, NULL);
  if (text == NULL) {
    return -1;
  }
  char *end;
  long child = strtol(text, &end, 10);
  while (*end == ' ' || *end == '\n') {
    end++;
  }
  long result = child > 0 && *end == '\0' ? child : -1;
  free(text);
  return result;
}

int nspawn_stop_main(int argc, char **argv) {
  int force = 0;
  const char *uuid = stop_parse_args(argc, argv, &force);
  long ppid = stop_read_pid(uuid, "ppid");
  if (!is_pod_nspawn(ppid)) {
    debugf("stop: pod %s: pid %ld is not its systemd-nspawn (any more)", uuid, ppid);
    return 0;
  }
  long target = ppid;
  int sig = SIGTERM;
  if (force) {
    sig = SIGKILL;
    long child = single_child(ppid);
    target = child > 0 ? child : ppid;
  }
  debugf("stop: pod %s: %s to pid %ld", uuid, strsignal(sig), target);
  if (kill((pid_t)target, sig) != 0 && errno != ESRCH) {
    die_errno("stop: pod %s: signal pid %ld", uuid, target);
  }
  return 0;
}
