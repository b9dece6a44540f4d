/*
 * enter --pid=PID --appname=APP -- CMD [ARGS...]: runs CMD in the app's root and mount
 * namespace, with the app's environment, as root (as rkt's enter does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fly.h"

extern char **environ;

/* Parses KEY=VALUE lines into a NULL-terminated array pointing into text. */
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

int enter_main(int argc, char **argv) {
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
  if (app[0] == '\0' || strchr(app, '/') != NULL) {
    die("enter: --appname=%s is not an app name", app);
  }
  char **cmd = argv + i;

  /* Everything read from the pod directory is read here, before the namespace changes. */
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", FLY_ENV_DIR, app);
  char *text = read_file(path, NULL);
  if (text == NULL) {
    die_errno("enter: read the environment of app \"%s\" (%s)", app, path);
  }
  char **env = parse_env_file(text, path);

  char ns_path[64], root_path[64];
  snprintf(ns_path, sizeof ns_path, "/proc/%ld/ns/mnt", pid);
  snprintf(root_path, sizeof root_path, "/proc/%ld/root", pid);
  int ns_fd = open(ns_path, O_RDONLY | O_CLOEXEC);
  if (ns_fd < 0) {
    die_errno("enter: open %s (is the pod running?)", ns_path);
  }
  int root_fd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    die_errno("enter: open %s", root_path);
  }
  if (setns(ns_fd, CLONE_NEWNS) != 0) {
    die_errno("enter: join the mount namespace of pid %ld", pid);
  }
  close(ns_fd);
  if (fchdir(root_fd) != 0 || chroot(".") != 0 || chdir("/") != 0) {
    die_errno("enter: chroot into app \"%s\" (root of pid %ld)", app, pid);
  }
  close(root_fd);
  debugf("enter: in app \"%s\" of pid %ld, running %s", app, pid, cmd[0]);

  /* execvp looks PATH up in environ: the app's. */
  environ = env;
  execvp(cmd[0], cmd);
  die_errno("enter: exec %s in app \"%s\"", cmd[0], app);
}
