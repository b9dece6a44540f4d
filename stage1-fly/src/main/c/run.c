/*
 * run: starts the pod's one app and stays its parent until it exits.
 *
 * Unlike rkt's fly, which exec'd the app, the entrypoint forks: the parent keeps the pod lock,
 * forwards termination signals and records the app's exit code, while its private mount
 * namespace keeps the app's mounts out of the host.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "fly.h"

static const int forwarded_signals[] = {SIGTERM, SIGINT, SIGHUP};
#define NFORWARDED (sizeof forwarded_signals / sizeof forwarded_signals[0])

static volatile sig_atomic_t app_pgid;

static void forward_signal(int sig) {
  if (app_pgid > 0) {
    kill(-app_pgid, sig);
  }
}

static void write_number(const char *path, long value) {
  char text[32];
  snprintf(text, sizeof text, "%ld", value);
  if (write_file_atomic(path, text) != 0) {
    die_errno("write %s", path);
  }
}

/* In the child: becomes the app. Never returns. */
static void exec_app(const struct plan_app *app, int rootfd, int lock_fd, int ready_fd,
                     int go_fd, pid_t parent, int journal, const char *unit) {
  for (size_t i = 0; i < NFORWARDED; i++) {
    signal(forwarded_signals[i], SIG_DFL);
  }
  setpgid(0, 0);
  if (fcntl(lock_fd, F_SETFD, FD_CLOEXEC) != 0) {
    die_errno("app \"%s\": keep the pod lock from the app", app->name);
  }
  if (journal) {
    journal_attach_app(JOURNAL_STDOUT_SOCKET, app->name, unit);
  }
  app_become(app, rootfd);
  /* After app_become: a credential change clears it. Without it a SIGKILLed parent would leave
   * the app running unsupervised; the getppid check covers a parent that died before. */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    die_errno("app \"%s\": set the parent-death signal", app->name);
  }
  if (getppid() != parent) {
    die("app \"%s\": the stage1 parent went away", app->name);
  }
  /* Tell the parent we are the app now (chrooted, as its user), then wait until it has
   * published our pid: an enter must never find us half-way. */
  char byte = 'r';
  if (write(ready_fd, &byte, 1) != 1) {
    die_errno("app \"%s\": report readiness", app->name);
  }
  close(ready_fd);
  if (read(go_fd, &byte, 1) != 1) {
    die("app \"%s\": the stage1 parent went away before the start", app->name);
  }
  close(go_fd);

  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(app->exec[0], app->exec, app->env);
  die_errno("exec %s in app \"%s\"", app->exec[0], app->name);
}

/* The foreground of the controlling terminal goes to the app while it runs, as a shell does
 * for a job; returns 1 if it was handed over. */
static int give_terminal(pid_t pgid) {
  if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp()) {
    return 0;
  }
  return tcsetpgrp(STDIN_FILENO, pgid) == 0;
}

static void take_terminal_back(void) {
  sigset_t ttou, old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  sigprocmask(SIG_BLOCK, &ttou, &old);
  tcsetpgrp(STDIN_FILENO, getpgrp());
  sigprocmask(SIG_SETMASK, &old, NULL);
}

int run_main(int argc, char **argv) {
  /* Fly always shares the terminal, never restricts the app and stays in the host's network, UTS
   * and IPC namespaces without a user namespace: of the flags only the UUID matters. */
  struct run_flags flags;
  parse_run_flags(argc, argv, &flags);
  const char *uuid = flags.uuid;
  int lock_fd = lock_fd_from_env();
  close_fds_except(lock_fd);
  debugf("run: pod %s, lock fd %d", uuid, lock_fd);

  struct plan plan;
  plan_load(FLY_PLAN_PATH, &plan);
  if (plan.napps != 1) {
    die("plan %s: stage1-fly runs exactly one app, the plan has %zu", FLY_PLAN_PATH, plan.napps);
  }
  const struct plan_app *app = &plan.apps[0];
  debugf("plan: app \"%s\", root %s, exec %s, uid %u, gid %u, %zu mounts", app->name, app->root,
         app->exec[0], (unsigned)app->uid, (unsigned)app->gid, app->nmounts);

  write_flavor_link("fly");
  if (mkdir(FLY_STATUS_DIR, 0755) != 0 && errno != EEXIST) {
    die_errno("create %s", FLY_STATUS_DIR);
  }
  char status_path[PATH_MAX];
  snprintf(status_path, sizeof status_path, "%s/%s", FLY_STATUS_DIR, app->name);

  /* In a systemd unit logging to the journal, the app's lines go there under its own name. */
  int journal = journal_wanted();
  char *unit = journal ? journal_own_unit() : NULL;
  mounts_private_namespace();
  int rootfd = mounts_prepare_app(app);

  /* Signals wait until the app's process group exists; then they are forwarded to it. */
  sigset_t blocked, old_mask;
  sigemptyset(&blocked);
  for (size_t i = 0; i < NFORWARDED; i++) {
    sigaddset(&blocked, forwarded_signals[i]);
  }
  sigprocmask(SIG_BLOCK, &blocked, &old_mask);
  struct sigaction forward;
  memset(&forward, 0, sizeof forward);
  forward.sa_handler = forward_signal;
  forward.sa_flags = SA_RESTART;
  sigemptyset(&forward.sa_mask);
  for (size_t i = 0; i < NFORWARDED; i++) {
    sigaction(forwarded_signals[i], &forward, NULL);
  }

  int ready[2], go[2];
  if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0) {
    die_errno("pipe");
  }
  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) {
    die_errno("fork");
  }
  if (child == 0) {
    close(ready[0]);
    close(go[1]);
    exec_app(app, rootfd, lock_fd, ready[1], go[0], parent, journal, unit);
  }
  close(ready[1]);
  close(go[0]);
  close(rootfd);
  /* Also here, so that the group exists whichever process runs first. */
  setpgid(child, child);
  app_pgid = child;

  char byte;
  ssize_t n;
  do {
    n = read(ready[0], &byte, 1);
  } while (n < 0 && errno == EINTR);
  close(ready[0]);
  int terminal = 0;
  if (n == 1) {
    terminal = give_terminal(child);
    write_number("pgid", child);
    write_number("pid", child);
    debugf("app \"%s\" is pid %d (process group %d)%s", app->name, (int)child, (int)child,
           terminal ? ", in the terminal's foreground" : "");
    if (write(go[1], "g", 1) != 1) {
      die_errno("start app \"%s\"", app->name);
    }
  } /* else the child failed to set up and said why; its exit status is collected below */
  close(go[1]);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);

  int status;
  if (wait_child(child, &status) < 0) {
    die_errno("wait for app \"%s\"", app->name);
  }
  if (terminal) {
    take_terminal_back();
  }
  int code = exit_code_of(status);
  debugf("app \"%s\" exited with status %d", app->name, code);
  write_number(status_path, code);
  return code;
}
