/*
 * Pieces the entrypoints of both stage1 flavors have in common: their argument conventions,
 * the hand-over of the pod lock, turning a process into an app and the steps of an enter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fly.h"

extern char **environ;

int dispatch_entrypoint(const char *program, const struct entrypoint *entrypoints, size_t n,
                        const char *names, int argc, char **argv) {
  const char *self = argc > 0 ? argv[0] : "";
  const char *slash = strrchr(self, '/');
  const char *name = slash != NULL ? slash + 1 : self;
  /* "PROGRAM ENTRYPOINT ARGS..." works too. */
  if (strcmp(name, program) == 0 && argc > 1) {
    argc--;
    argv++;
    name = argv[0];
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(name, entrypoints[i].name) == 0) {
      return entrypoints[i].main(argc, argv);
    }
  }
  die("started as \"%s\"; the entrypoints are %s", name, names);
}

const char *parse_uuid_args(const char *entrypoint, int argc, char **argv,
                            entry_flag_fn more_flags, void *ctx) {
  const char *uuid = NULL;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int on;
    if (arg[0] != '-') {
      if (uuid != NULL) {
        die("%s: unexpected argument \"%s\" after the pod UUID", entrypoint, arg);
      }
      uuid = arg;
    } else if (flag_bool(arg, "--debug", &on)) {
      fly_debug_enabled = on;
    } else if (more_flags == NULL || !more_flags(argc, argv, &i, ctx)) {
      die("unknown flag %.*s", (int)strcspn(arg, "="), arg);
    }
  }
  if (uuid == NULL) {
    die("%s: missing the pod UUID argument", entrypoint);
  }
  return uuid;
}

/* The run flags besides --debug. */
static int run_flag(int argc, char **argv, int *i, void *ctx) {
  struct run_flags *f = ctx;
  const char *arg = argv[*i];
  const char *value;
  int on;
  return flag_bool(arg, "--interactive", &f->interactive) ||
         flag_bool(arg, "--disable-capabilities-restriction", &f->disable_caps) ||
         flag_bool(arg, "--disable-paths", &on) ||
         flag_bool(arg, "--disable-seccomp", &f->disable_seccomp) ||
         flag_bool(arg, "--mutable", &on) || flag_value(argc, argv, i, "--net", &f->net) ||
         flag_value(argc, argv, i, "--hostname", &f->hostname) ||
         flag_value(argc, argv, i, "--ipc", &f->ipc) ||
         flag_value(argc, argv, i, "--private-users", &value) ||
         flag_value(argc, argv, i, "--mds-token", &value) ||
         flag_value(argc, argv, i, "--local-config", &value) ||
         flag_value(argc, argv, i, "--dns-conf-mode", &f->dns_conf_mode);
}

void parse_run_flags(int argc, char **argv, struct run_flags *flags) {
  memset(flags, 0, sizeof *flags);
  flags->uuid = parse_uuid_args("run", argc, argv, run_flag, flags);
}

int lock_fd_from_env(void) {
  const char *value = getenv("RKT_LOCK_FD");
  if (value == NULL) {
    die("run: RKT_LOCK_FD is not set; stage0 hands over the pod lock in it");
  }
  long fd = parse_decimal(value, INT_MAX);
  if (fd < 0 || fcntl((int)fd, F_GETFD) < 0) {
    die("run: RKT_LOCK_FD=%s is not an open fd", value);
  }
  return (int)fd;
}

void write_flavor_link(const char *flavor) {
  unlink(".flavor.tmp");
  if (symlink(flavor, ".flavor.tmp") != 0 || rename(".flavor.tmp", "flavor") != 0) {
    die_errno("create the flavor symlink in the pod directory");
  }
}

void app_become(const struct plan_app *app, int rootfd) {
  if (fchdir(rootfd) != 0 || chroot(".") != 0) {
    die_errno("chroot into app \"%s\"", app->name);
  }
  close(rootfd);
  if (chdir(app->cwd) != 0) {
    die_errno("chdir %s in app \"%s\"", app->cwd, app->name);
  }
  if (setgroups(app->ngroups, app->groups) != 0) {
    die_errno("setgroups in app \"%s\"", app->name);
  }
  if (setgid(app->gid) != 0) {
    die_errno("setgid %u in app \"%s\"", (unsigned)app->gid, app->name);
  }
  if (setuid(app->uid) != 0) {
    die_errno("setuid %u in app \"%s\"", (unsigned)app->uid, app->name);
  }
}

pid_t wait_child(pid_t child, int *status) {
  pid_t waited;
  do {
    waited = waitpid(child, status, 0);
  } while (waited < 0 && errno == EINTR);
  return waited;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return FLY_EXIT_FAILURE;
}

static int force_flag(int argc, char **argv, int *i, void *force) {
  (void)argc;
  return flag_bool(argv[*i], "--force", force);
}

const char *stop_parse_args(int argc, char **argv, int *force) {
  return parse_uuid_args("stop", argc, argv, force_flag, force);
}

long stop_read_pid(const char *uuid, const char *file) {
  long pid = read_decimal_file(file);
  if (pid <= 0) {
    if (errno == ENOENT) {
      die("stop: pod %s has no %s file: the pod has not started", uuid, file);
    }
    die_errno("stop: pod %s: read %s", uuid, file);
  }
  return pid;
}

int enter_parse_args(int argc, char **argv, long *pid, const char **app) {
  const char *pid_arg = NULL;
  *app = NULL;
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
        flag_value(argc, argv, &i, "--appname", app)) {
      continue;
    }
    if (flag_bool(arg, "--debug", &on)) {
      fly_debug_enabled = on;
      continue;
    }
    die("unknown flag %.*s", (int)strcspn(arg, "="), arg);
  }
  if (pid_arg == NULL || *app == NULL) {
    die("enter: --pid and --appname are required");
  }
  if (i >= argc) {
    die("enter: no command given (usage: enter --pid=PID --appname=APP -- CMD [ARGS...])");
  }
  *pid = parse_decimal(pid_arg, INT_MAX);
  if (*pid <= 0) {
    die("enter: --pid=%s is not a process id", pid_arg);
  }
  if ((*app)[0] == '\0' || strchr(*app, '/') != NULL) {
    die("enter: --appname=%s is not an app name", *app);
  }
  return i;
}

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

char **enter_load_env(const char *app) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", FLY_ENV_DIR, app);
  char *text = read_file(path, NULL);
  if (text == NULL) {
    die_errno("enter: read the environment of app \"%s\" (%s)", app, path);
  }
  return parse_env_file(text, path);
}

int enter_join_namespaces(long pid, const struct enter_namespace *namespaces, size_t n) {
  int fds[n];
  for (size_t k = 0; k < n; k++) {
    char ns_path[64];
    snprintf(ns_path, sizeof ns_path, "/proc/%ld/ns/%s", pid, namespaces[k].name);
    fds[k] = open(ns_path, O_RDONLY | O_CLOEXEC);
    if (fds[k] < 0) {
      die_errno("enter: open %s (is the pod running?)", ns_path);
    }
  }
  char root_path[64];
  snprintf(root_path, sizeof root_path, "/proc/%ld/root", pid);
  int root_fd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) {
    die_errno("enter: open %s", root_path);
  }
  for (size_t k = 0; k < n; k++) {
    if (setns(fds[k], namespaces[k].type) != 0) {
      die_errno("enter: join the %s namespace of pid %ld", namespaces[k].label, pid);
    }
    close(fds[k]);
  }
  return root_fd;
}

void enter_exec(char **cmd, char **env, const char *app) {
  environ = env; /* execvp looks PATH up in environ: the app's */
  execvp(cmd[0], cmd);
  die_errno("enter: exec %s in app \"%s\"", cmd[0], app);
}
