/*
 * The guest agent: runs `jrkt enter` commands for the host, one at a time, over the "agent"
 * virtio-serial port (frames: kvm.h). A command runs in a new session, chrooted in the app's
 * root with the app's environment, stdin /dev/null; its stdout and stderr go back as OUT and ERR
 * frames, then its EXIT. The init's main loop polls the port and the command's pipes and calls
 * in here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest.h"

struct enter_state {
  pid_t pid;   /* 0 when no command runs */
  int out, err; /* pipes from the command, -1 once drained */
  int code;
};

static int agent_fd = -1;
static const struct plan *plan;
static const sigset_t *blocked;
static struct enter_state enter = {0, -1, -1, 0};
/* The enter client went away (a write to the agent port failed): its command is killed and
 * nothing more is sent until the next client's COMMAND. */
static int agent_gone;

static void agent_send(int type, const void *payload, size_t length) {
  if (agent_gone) {
    return;
  }
  if (frame_write(agent_fd, type, payload, length) != 0) {
    agent_gone = 1;
    if (enter.pid != 0) {
      kill(-enter.pid, SIGKILL);
    }
  }
}

static const struct plan_app *app_named(const char *name) {
  for (size_t a = 0; a < plan->napps; a++) {
    if (strcmp(plan->apps[a].name, name) == 0) {
      return &plan->apps[a];
    }
  }
  return NULL;
}

static void agent_reply_failure(const char *message) {
  agent_send(FRAME_ERR, message, strlen(message));
  agent_send(FRAME_EXIT, "254", 3);
}

/* COMMAND: app NUL arg0 NUL arg1 ...; runs it chrooted in the app with the app's environment. */
static void agent_command(struct frame *f) {
  agent_gone = 0;
  if (enter.pid != 0) {
    /* Its client is gone (qemu serves one at a time): end it; reap() collects it. */
    kill(-enter.pid, SIGKILL);
    if (enter.out >= 0) {
      close(enter.out);
    }
    if (enter.err >= 0) {
      close(enter.err);
    }
    enter = (struct enter_state){0, -1, -1, 0};
  }
  agent_send(FRAME_ACCEPTED, NULL, 0);
  size_t n = 0;
  for (uint32_t i = 0; i < f->length; i++) {
    n += f->payload[i] == '\0';
  }
  if (f->length == 0 || f->payload[f->length - 1] != '\0' || n < 2) {
    agent_reply_failure("stage1-kvm: malformed enter request\n");
    return;
  }
  char **words = calloc(n + 1, sizeof *words);
  char *p = f->payload;
  for (size_t i = 0; i < n; i++) {
    words[i] = p;
    p += strlen(p) + 1;
  }
  const struct plan_app *app = app_named(words[0]);
  if (app == NULL) {
    char msg[512];
    snprintf(msg, sizeof msg, "stage1-kvm: no app \"%s\" in this pod\n", words[0]);
    agent_reply_failure(msg);
    free(words);
    return;
  }
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    agent_reply_failure("stage1-kvm: cannot make pipes for the command\n");
    free(words);
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    sigprocmask(SIG_UNBLOCK, blocked, NULL);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0) {
      _exit(FLY_EXIT_FAILURE);
    }
    char **env = enter_load_env(app->name);
    if (chroot(app->root) != 0 || chdir("/") != 0) {
      die_errno("enter: chroot into app \"%s\"", app->name);
    }
    close_fds_except(-1);
    enter_exec(words + 1, env, app->name);
  }
  close(out[1]);
  close(err[1]);
  free(words);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    agent_reply_failure("stage1-kvm: cannot fork the command\n");
    return;
  }
  enter.pid = pid;
  enter.out = out[0];
  enter.err = err[0];
  enter.code = -1;
}

/* Sends what a command's pipe has; closes it at its end. */
static void relay(int *fd, int type) {
  char buf[16384];
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n > 0) {
    agent_send(type, buf, (size_t)n);
  } else if (n == 0 || errno != EINTR) {
    close(*fd);
    *fd = -1;
  }
}

void agent_finish_if_done(void) {
  if (enter.pid != 0 && enter.code >= 0 && enter.out < 0 && enter.err < 0) {
    char code[16];
    snprintf(code, sizeof code, "%d", enter.code);
    agent_send(FRAME_EXIT, code, strlen(code));
    enter.pid = 0;
  }
}


void agent_init(int fd, const struct plan *p, const sigset_t *signals) {
  agent_fd = fd;
  plan = p;
  blocked = signals;
}

void agent_request(struct frame *f) {
  if (f->type == FRAME_COMMAND) {
    agent_command(f);
  }
}

int agent_output(int which) {
  return which == 0 ? enter.out : enter.err;
}

void agent_relay(int which) {
  if (which == 0) {
    relay(&enter.out, FRAME_OUT);
  } else {
    relay(&enter.err, FRAME_ERR);
  }
}

int agent_reaped(pid_t pid, int status) {
  if (pid == 0 || pid != enter.pid) {
    return 0;
  }
  enter.code = exit_code_of(status);
  return 1;
}

void agent_stop(void) {
  if (enter.pid != 0) {
    kill(-enter.pid, SIGKILL);
  }
}
