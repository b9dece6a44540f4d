/*
 * supervisor: PID 1 of the pod's container, a lean stand-in for booting systemd. It prepares
 * every app's root (the container's /dev, /proc, /sys, a /tmp, the plan's volumes from
 * /rkt/volumes, a read-only root if asked), starts the apps, records each exit code in
 * /rkt/status/<app> as the app exits, and exits when all have:
 *  - 0 if every app exited 0, else the status of the first app that failed;
 *  - when an app fails, the others get SIGTERM (rkt's rule: a failing app stops the pod);
 *  - SIGTERM, SIGINT, SIGHUP to the supervisor (systemd-nspawn turns a SIGTERM to itself into a
 *    SIGTERM here, see --kill-signal) are forwarded to every app still running.
 * Each app's process joins the app's cgroups (made by /init, bound under /rkt/cgroups) and takes
 * its isolators (oom_score_adj, capabilities, no_new_privs; isolators.c) before exec, the
 * seccomp filter (seccomp.c) last.
 * As PID 1 it also reaps orphans that end up with it, and it dies with systemd-nspawn, its
 * parent, so that a SIGKILL of nspawn ends the whole pod (see die_with_nspawn).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "nspawn.h"

struct running_app {
  struct plan_app app; /* with container paths */
  pid_t pid;           /* 0 once exited */
};

/* The app as the container sees it: root without the stage1/rootfs prefix, bind sources where
 * /init staged them. */
static void to_container_view(const struct plan_app *in, size_t index, struct plan_app *out) {
  *out = *in;
  out->root = in->root + strlen(NSPAWN_STAGE1_ROOTFS);
  out->mounts = calloc(in->nmounts + 4, sizeof *out->mounts);
  if (out->mounts == NULL) {
    die("out of memory");
  }
  /* The pod's hostname, hosts and resolv.conf first: a volume on one of them wins. */
  size_t ndns = dns_app_mounts(out->root, out->mounts);
  for (size_t m = 0; m < in->nmounts; m++) {
    out->mounts[ndns + m] = in->mounts[m];
    if (in->mounts[m].bind) {
      char *staged;
      if (asprintf(&staged, "%s/%zu/%zu", NSPAWN_VOLUMES_DIR, index, m) < 0) {
        die("out of memory");
      }
      out->mounts[ndns + m].source = staged;
    }
  }
  out->nmounts = in->nmounts + ndns;
}

/* Moves the calling process into the cgroups /init made for app number index (bound under
 * /rkt/cgroups/<index>/). */
static void join_app_cgroups(const struct plan_app *app, size_t index) {
  const char *controllers[2] = {app->memory_limit > 0 ? "memory" : NULL,
                                app->cpu_quota_milli > 0 ? "cpu" : NULL};
  for (int i = 0; i < 2; i++) {
    if (controllers[i] == NULL) {
      continue;
    }
    char procs[PATH_MAX];
    snprintf(procs, sizeof procs, "%s/%zu/%s/cgroup.procs", NSPAWN_CGROUPS_DIR, index,
             controllers[i]);
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "0\n", 2) < 0) {
      die_errno("join the %s cgroup of app \"%s\" (%s)", controllers[i], app->name, procs);
    }
    close(fd);
  }
}

/*
 * A SIGKILL of systemd-nspawn gives it no chance to stop the container: the supervisor would be
 * reparented and the apps would run on, outside any pod. So the supervisor asks for SIGKILL
 * when its parent (nspawn itself: its intermediate child has exited by then) dies; as the PID
 * namespace's init its death ends every process of the pod. nspawn may already have died
 * before the request: getppid() cannot tell (the parent is outside the PID namespace, so it is
 * 0 either way), but nspawn's notify socket (NOTIFY_SOCKET, which only nspawn holds open)
 * refuses connections once it is gone.
 */
static void die_with_nspawn(void) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    die_errno("supervisor: ask for SIGKILL when systemd-nspawn dies");
  }
  const char *notify = getenv("NOTIFY_SOCKET");
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (notify == NULL || notify[0] != '/' || strlen(notify) >= sizeof sa.sun_path) {
    debugf("supervisor: no NOTIFY_SOCKET to check that systemd-nspawn still runs");
    return;
  }
  strcpy(sa.sun_path, notify);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    die_errno("supervisor: socket");
  }
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno == ECONNREFUSED) {
    die("supervisor: systemd-nspawn exited before the pod started");
  }
  close(fd);
}

/* In the child: becomes the app. Never returns. */
static void exec_app(const struct plan_app *app, size_t index, int rootfd, int sole_app,
                     int restrict_caps, int filter_syscalls, const char *journal_socket,
                     const char *journal_unit) {
  sigset_t none;
  sigemptyset(&none);
  setpgid(0, 0);
  /* A single app on a terminal gets its foreground, as a shell's job does. */
  if (sole_app && isatty(STDIN_FILENO)) {
    sigset_t ttou;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, NULL);
    tcsetpgrp(STDIN_FILENO, getpid());
  }
  join_app_cgroups(app, index);
  journal_attach_app(journal_socket, app->name, journal_unit);
  isolators_before_setuid(app, restrict_caps);
  app_become(app, rootfd);
  isolators_before_exec(app, restrict_caps);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (filter_syscalls) {
    seccomp_install(app);
  }
  execve(app->exec[0], app->exec, app->env);
  die_errno("exec %s in app \"%s\"", app->exec[0], app->name);
}

static void signal_apps(struct running_app *apps, size_t n, int sig) {
  for (size_t i = 0; i < n; i++) {
    if (apps[i].pid > 0) {
      /* The group catches the app's children; the app itself may have left it. */
      kill(-apps[i].pid, sig);
      kill(apps[i].pid, sig);
    }
  }
}

static void record_status(const struct plan_app *app, int code) {
  char path[PATH_MAX], text[16];
  snprintf(path, sizeof path, "%s/%s", NSPAWN_STATUS_IN_CONTAINER, app->name);
  snprintf(text, sizeof text, "%d", code);
  if (write_file_atomic(path, text) != 0) {
    /* Keep supervising: the other apps still need it. */
    fprintf(stderr, "%s: write %s: %s\n", fly_program_name, path, strerror(errno));
  }
}

int nspawn_supervisor_main(int argc, char **argv) {
  int restrict_caps = 1;
  int filter_syscalls = 1;
  const char *journal_socket = NULL;
  const char *journal_unit = NULL;
  for (int i = 1; i < argc; i++) {
    int on;
    if (flag_bool(argv[i], "--debug", &on)) {
      fly_debug_enabled = on;
    } else if (flag_bool(argv[i], "--disable-capabilities-restriction", &on)) {
      restrict_caps = !on;
    } else if (flag_bool(argv[i], "--disable-seccomp", &on)) {
      filter_syscalls = !on;
    } else if (strncmp(argv[i], "--journal-socket=", 17) == 0) {
      journal_socket = argv[i] + 17;
    } else if (strncmp(argv[i], "--journal-unit=", 15) == 0) {
      journal_unit = argv[i] + 15;
    } else {
      die("supervisor: unknown argument %s", argv[i]);
    }
  }
  if (getpid() != 1) {
    die("supervisor: must be the container's PID 1 (is pid %d)", (int)getpid());
  }
  die_with_nspawn();
  /* Signals are taken synchronously in the loop below; the apps start with none blocked. */
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigprocmask(SIG_BLOCK, &handled, NULL);

  if (chdir("/") != 0) {
    die_errno("supervisor: chdir /");
  }
  struct plan plan;
  plan_load(NSPAWN_PLAN_IN_CONTAINER, &plan);
  struct running_app *apps = calloc(plan.napps, sizeof *apps);
  if (apps == NULL) {
    die("out of memory");
  }
  /* A mount namespace of its own: nothing mounted for the apps can propagate anywhere. */
  mounts_private_namespace();
  int *rootfds = calloc(plan.napps, sizeof *rootfds);
  if (rootfds == NULL) {
    die("out of memory");
  }
  for (size_t a = 0; a < plan.napps; a++) {
    to_container_view(&plan.apps[a], a, &apps[a].app);
    rootfds[a] = mounts_prepare_app(&apps[a].app);
  }

  size_t running = 0;
  for (size_t a = 0; a < plan.napps; a++) {
    pid_t pid = fork();
    if (pid < 0) {
      die_errno("supervisor: fork for app \"%s\"", apps[a].app.name);
    }
    if (pid == 0) {
      for (size_t other = 0; other < plan.napps; other++) {
        if (other != a) {
          close(rootfds[other]);
        }
      }
      exec_app(&apps[a].app, a, rootfds[a], plan.napps == 1, restrict_caps,
               filter_syscalls, journal_socket, journal_unit);
    }
    setpgid(pid, pid);
    close(rootfds[a]);
    apps[a].pid = pid;
    running++;
    debugf("supervisor: app \"%s\" is pid %d", apps[a].app.name, (int)pid);
  }
  if (symlink("ready", "/rkt/supervisor-status") != 0 && errno != EEXIST) {
    debugf("supervisor: write /rkt/supervisor-status: %s", strerror(errno));
  }

  int pod_status = 0;
  while (running > 0) {
    siginfo_t info;
    int sig = sigwaitinfo(&handled, &info);
    if (sig < 0) {
      continue;
    }
    if (sig != SIGCHLD) {
      debugf("supervisor: got %s, forwarding it to the apps", strsignal(sig));
      signal_apps(apps, plan.napps, sig);
      continue;
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      for (size_t a = 0; a < plan.napps; a++) {
        if (apps[a].pid != pid) {
          continue;
        }
        int code = exit_code_of(status);
        apps[a].pid = 0;
        running--;
        record_status(&apps[a].app, code);
        debugf("supervisor: app \"%s\" exited with status %d", apps[a].app.name, code);
        if (code != 0 && pod_status == 0) {
          pod_status = code;
          if (running > 0) {
            debugf("supervisor: app \"%s\" failed: stopping the other apps", apps[a].app.name);
            signal_apps(apps, plan.napps, SIGTERM);
          }
        }
      }
    }
  }
  debugf("supervisor: all apps exited; pod status %d", pod_status);
  return pod_status;
}
