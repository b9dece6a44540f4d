/*
 * enter --pid=PID --appname=APP -- CMD [ARGS...]: PID is the container's PID 1 (the supervisor).
 * Joins its IPC, UTS, network, PID and mount namespaces, chroots into its root and from there
 * into the app's, and runs CMD (looked up in the app's PATH) as root with the app's environment
 * in a child; exits with the child's status (128+N when killed by signal N).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nspawn.h"

static const struct enter_namespace namespaces[] = {
    /* The mount namespace last: the others are opened through the host's /proc. */
    {"ipc", CLONE_NEWIPC, "ipc"}, {"uts", CLONE_NEWUTS, "uts"}, {"net", CLONE_NEWNET, "net"},
    {"pid", CLONE_NEWPID, "pid"}, {"mnt", CLONE_NEWNS, "mnt"},
};
#define NNAMESPACES (sizeof namespaces / sizeof namespaces[0])

int nspawn_enter_main(int argc, char **argv) {
  long pid;
  const char *app;
  char **cmd = argv + enter_parse_args(argc, argv, &pid, &app);
  if (strcmp(app, ".") == 0 || strcmp(app, "..") == 0) {
    die("enter: --appname=%s is not an app name", app);
  }

  /* Everything read from the pod directory and the host's /proc is read before joining. */
  char **env = enter_load_env(app);
  int root_fd = enter_join_namespaces(pid, namespaces, NNAMESPACES);
  char app_root[PATH_MAX];
  snprintf(app_root, sizeof app_root, "opt/stage2/%s/rootfs", app);
  if (fchdir(root_fd) != 0 || chroot(".") != 0) {
    die_errno("enter: chroot into the root of pid %ld", pid);
  }
  close(root_fd);
  if (chdir(app_root) != 0 || chroot(".") != 0 || chdir("/") != 0) {
    die_errno("enter: chroot into app \"%s\" (/%s in the pod)", app, app_root);
  }
  debugf("enter: in app \"%s\" of pid %ld, running %s", app, pid, cmd[0]);

  /* Joining the PID namespace takes effect for children only. */
  pid_t child = fork();
  if (child < 0) {
    die_errno("enter: fork");
  }
  if (child == 0) {
    enter_exec(cmd, env, app);
  }
  /* Like system(3): a terminal's ^C and ^\ are for the command. */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  int status;
  if (wait_child(child, &status) < 0) {
    die_errno("enter: wait for %s", cmd[0]);
  }
  return exit_code_of(status);
}
