/*
 * stop [--force] UUID: SIGTERM (SIGKILL with --force) to the app and its process group. Returns
 * once the signal is sent; the run entrypoint records the exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fly.h"

/*
 * The pid file outlives the pod, and pids are reused: only a process whose root is the app's
 * rootfs is the app.
 */
static int is_app_process(long pid, const struct plan_app *app) {
  char root[64];
  snprintf(root, sizeof root, "/proc/%ld/root", pid);
  struct stat process_root, app_root;
  if (stat(root, &process_root) != 0) {
    return 0;
  }
  if (stat(app->root, &app_root) != 0) {
    die_errno("stop: app \"%s\": rootfs %s", app->name, app->root);
  }
  return process_root.st_dev == app_root.st_dev && process_root.st_ino == app_root.st_ino;
}

int stop_main(int argc, char **argv) {
  int force = 0;
  const char *uuid = stop_parse_args(argc, argv, &force);
  long pid = stop_read_pid(uuid, "pid");
  long pgid = read_decimal_file("pgid");
  if (pgid <= 0) {
    pgid = pid; /* the run entrypoint makes the app a group leader */
  }
  struct plan plan;
  plan_load(FLY_PLAN_PATH, &plan);
  if (plan.napps != 1) {
    die("plan %s: stage1-fly runs exactly one app, the plan has %zu", FLY_PLAN_PATH, plan.napps);
  }
  if (!is_app_process(pid, &plan.apps[0])) {
    debugf("stop: pod %s: pid %ld is gone", uuid, pid);
    return 0;
  }
  /* The pgid file is only data: a 1 in it would make kill(-1) signal every process. */
  pid_t group = getpgid((pid_t)pid);
  if (group <= 1 || group != pgid) {
    die("stop: pod %s: process group %ld of pid %ld does not match the pgid file (%ld)", uuid,
        (long)group, pid, pgid);
  }

  int sig = force ? SIGKILL : SIGTERM;
  debugf("stop: pod %s: %s to process group %ld", uuid, strsignal(sig), pgid);
  if (kill((pid_t)-pgid, sig) != 0 && errno != ESRCH) {
    die_errno("stop: pod %s: signal process group %ld", uuid, pgid);
  }
  /* The app may have left its group (setsid); it gets the signal all the same. */
  if (kill((pid_t)pid, sig) != 0 && errno != ESRCH) {
    die_errno("stop: pod %s: signal pid %ld", uuid, pid);
  }
  return 0;
}
