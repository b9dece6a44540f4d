/*
 * The apps' output on the host. In the guest, each app's stdout and stderr are virtio-serial
 * ports of their own ("out.<app>", "err.<app>"), which qemu connects to sockets it gets from
 * /run at the fds the spec names. Where those sockets lead is decided here, as stage1-nspawn
 * decides it:
 *  - in a systemd unit that logs to the journal: one journald stream per app, whose header names
 *    the app (SYSLOG_IDENTIFIER), with the same priority for stdout and stderr; qemu writes to
 *    it directly, and journald attributes the lines to the unit by /run's cgroup;
 *  - otherwise (or when journald cannot be reached): a socket pair per stream, whose other end
 *    /run copies to its own stdout or stderr, i.e. the pod's.
 * No end is ever shut down: qemu reads its socket too, and an end of stream there makes it drop
 * the connection, after which the guest's writes to that port would block for good.
 * qemu's sockets get large send buffers: what the guest wrote but qemu could not pass on yet
 * when the VM powers off would be lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kvm.h"

#define OUTPUT_SNDBUF (4 << 20)
#define RELAY_CHUNK 65536

static void big_send_buffer(int fd) {
  int size = OUTPUT_SNDBUF;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  }
}

struct app_output *output_setup(const struct vm_spec *spec) {
  struct app_output *outputs = calloc(spec->noutputs + 1, sizeof *outputs);
  if (outputs == NULL) {
    die("out of memory");
  }
  int journal = journal_wanted();
  char *unit = journal ? journal_own_unit() : NULL;
  for (size_t a = 0; a < spec->noutputs; a++) {
    struct app_output *o = &outputs[a];
    o->app = spec->outputs[a].app;
    int fd = journal ? journal_connect(JOURNAL_STDOUT_SOCKET, o->app, unit) : -1;
    if (fd >= 0) {
      big_send_buffer(fd);
      o->qemu_fd[0] = fd;
      o->qemu_fd[1] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
      if (o->qemu_fd[1] < 0) {
        die_errno("duplicate the journal stream of app \"%s\"", o->app);
      }
      o->relay_fd[0] = o->relay_fd[1] = -1;
      debugf("app \"%s\": output to the journal", o->app);
      continue;
    }
    for (int s = 0; s < 2; s++) {
      int pair[2];
      if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        die_errno("socketpair for the output of app \"%s\"", o->app);
      }
      big_send_buffer(pair[1]);
      o->relay_fd[s] = pair[0];
      o->qemu_fd[s] = pair[1];
    }
  }
  free(unit);
  return outputs;
}

void output_close_qemu_ends(struct app_output *outputs, size_t n) {
  for (size_t a = 0; a < n; a++) {
    for (int s = 0; s < 2; s++) {
      close(outputs[a].qemu_fd[s]);
      outputs[a].qemu_fd[s] = -1;
    }
  }
}

/* All of buf to fd; what cannot be written (the pod's stdout was closed) is dropped. */
static void write_all(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR) {
      continue;
    }
    if (w <= 0) {
      return;
    }
    buf += w;
    n -= (size_t)w;
  }
}

int output_relay(struct app_output *o, int stream) {
  static char buf[RELAY_CHUNK];
  ssize_t n = read(o->relay_fd[stream], buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
    return 0;
  }
  if (n <= 0) {
    close(o->relay_fd[stream]);
    o->relay_fd[stream] = -1;
    return -1;
  }
  write_all(stream == 0 ? STDOUT_FILENO : STDERR_FILENO, buf, (size_t)n);
  return 0;
}

void output_drain(struct app_output *outputs, size_t n) {
  for (size_t a = 0; a < n; a++) {
    for (int s = 0; s < 2; s++) {
      while (outputs[a].relay_fd[s] >= 0 && output_relay(&outputs[a], s) == 0) {
      }
    }
  }
}
