/*
 * enter --pid=PID --appname=APP -- CMD [ARGS...]: PID is the container's PID 1 (the supervisor).
 * Joins its IPC, UTS, network, PID and mount namespaces, chroots into its root and from there
 * into the app's, and runs CMD (looked up in the app's PATH) as root with the app's environment
 * in a child; exits with the child's status (128+N when killed by signal N).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nspawn.h"

extern char **environ;

static char **parse_env_file(char *text, const char *path) {
  size_t lines = 1;
  for (const char *p = text; *p != '\0'; p++) {
    lines += *p == '\n';
  }
  char **env = calloc(lines + 1, sizeof *env);
  if (env == NULL) {
    die("out of memory");
  }
  size_t n = 0, lineno = 0;
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    lineno++;
    char *eq = strchr(line, '=');
    if (eq == NULL || eq == line) {
      die("enter: %s line %zu: \"%s\" is not KEY=VALUE", path, lineno, line);
    }
    env[n++] = line;
  }
  return env;
}

static const struct {
  const char *name;
  int type;
} namespaces[] = {
    /* The mount namespace last: the others are opened through the host's /proc. */
    {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS},
};
#define NNAMESPACES (sizeof namespaces / sizeof namespaces[0])

int nspawn_enter_main(int argc, char **argv) {
  const char *pid_arg = NULL, *app = NULL;
  int i = 1;
  for (; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--") == 0) {
      i++;
      break;
    }
    if (arg[0] != '-') {
      break;
    }
    int on;
    if (flag_value(argc, argv, &i, "--pid", &pid_arg) ||
        flag_value(argc, argv, &i, "--appname", &app)) {
      continue;
    }
    if (flag_bool(arg, "--debug", &on)) {
      fly_debug_enabled = on;
      continue;
    }
    die("unknown flag %.*s", (int)strcspn(arg, "="), arg);
  }
  if (pid_arg == NULL || app == NULL) {
    die("enter: --pid and --appname are required");
  }
  if (i >= argc) {
    die("enter: no command given (usage: enter --pid=PID --appname=APP -- CMD [ARGS...])");
  }
  long pid = parse_decimal(pid_arg, INT_MAX);
  if (pid <= 0) {
    die("enter: --pid=%s is not a process id", pid_arg);
  }
  if (app[0] == '\0' || strchr(app, '/') != NULL || strcmp(app, ".") == 0 ||
      strcmp(app, "..") == 0) {
    die("enter: --appname=%s is not an app name", app);
  }
  char **cmd = argv + i;

  /* Everything read from the pod directory and the host's /proc is read before joining. */
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", FLY_ENV_DIR, app);
  char *text = read_file(path, NULL);
  if (text == NULL) {
    die_errno("enter: read the environment of app \"%s\" (%s)", app, path);
  }
  char **env = parse_env_file(text, path);

  int fds[NNAMESPACES];
  for (size_t n = 0; n < NNAMESPACES; n++) {
    char ns_path[64];
    snprintf(ns_path, sizeof ns_path, "/proc/%ld/ns/%s", pid, namespaces[n].name);
    fds[n] = open(ns_path, O_RDONLY | O_CLOEXEC);
    if (fds[n] < 0) {
      die_errno("enter: open %s (is the pod running?)", ns_path);
    }
  }
  char root_path[64];
  snprintf(root_path, sizeof root_path, "/proc/%ld/root", pid);
  int root_fd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    die_errno("enter: open %s", root_path);
  }
  for (size_t n = 0; n < NNAMESPACES; n++) {
    if (setns(fds[n], namespaces[n].type) != 0) {
      die_errno("enter: join the %s namespace of pid %ld", namespaces[n].name, pid);
    }
    close(fds[n]);
  }
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
    environ = env; /* execvp looks PATH up in environ: the app's */
    execvp(cmd[0], cmd);
    die_errno("enter: exec %s in app \"%s\"", cmd[0], app);
  }
  /* Like system(3): a terminal's ^C and ^\ are for the command. */
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  int status;
  pid_t waited;
  do {
    waited = waitpid(child, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (waited < 0) {
    die_errno("enter: wait for %s", cmd[0]);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status)
                           : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : FLY_EXIT_FAILURE;
}
