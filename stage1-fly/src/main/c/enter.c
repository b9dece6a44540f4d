/*
 * enter --pid=PID --appname=APP -- CMD [ARGS...]: runs CMD in the app's root and mount
 * namespace, with the app's environment, as root (as rkt's enter does).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>

#include "fly.h"

int enter_main(int argc, char **argv) {
  long pid;
  const char *app;
  char **cmd = argv + enter_parse_args(argc, argv, &pid, &app);

  /* Everything read from the pod directory is read here, before the namespace changes. */
  char **env = enter_load_env(app);
  static const struct enter_namespace mount_namespace = {"mnt", CLONE_NEWNS, "mount"};
  int root_fd = enter_join_namespaces(pid, &mount_namespace, 1);
  if (fchdir(root_fd) != 0 || chroot(".") != 0 || chdir("/") != 0) {
    die_errno("enter: chroot into app \"%s\" (root of pid %ld)", app, pid);
  }
  close(root_fd);
  debugf("enter: in app \"%s\" of pid %ld, running %s", app, pid, cmd[0]);
  enter_exec(cmd, env, app);
}
