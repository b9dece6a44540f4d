/*
 * The apps' output on the host. In the guest, each app's stdout and stderr are virtio-serial
 * ports of their own ("out.<app>", "err.<app>"), which qemu connects to sockets it gets from
 * /run at the fds the spec names: one end of a socket pair per stream, whose other end /run
 * copies to where stage1-nspawn would send the app's output:
 *  - in a systemd unit that logs to the journal: one journald stream per app, whose header names
 *    the app (SYSLOG_IDENTIFIER), with the same priority for stdout and stderr; journald
 *    attributes the lines to the unit by /run's cgroup;
 *  - otherwise (or when journald cannot be reached): /run's own stdout or stderr, the pod's.
 * qemu cannot be given the journald stream itself: journald shuts its sending side, and qemu,
 * which also reads its sockets, would take that end of stream for a hang-up and drop the
 * connection; the guest's next write to the port would then block for good. For the same reason
 * /run never shuts down its end of a pair. The guest init's own "stderr" port is relayed to
 * /run's stderr (in a unit, the unit's stream): qemu's file chardev cannot take a socket.
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

static void relay_pair(struct app_output *o, int stream) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    die_errno("socketpair for the output of %s", o->app ? o->app : "the guest");
  }
  big_send_buffer(pair[1]);
  o->relay_fd[stream] = pair[0];
  o->qemu_fd[stream] = pair[1];
}

struct app_output *output_setup(const struct vm_spec *spec) {
  struct app_output *outputs = calloc(spec->noutputs + 1, sizeof *outputs);
  if (outputs == NULL) {
    die("out of memory");
  }
  /* The guest init's own messages: always the pod's stderr (in a unit, the unit's stream). */
  struct app_output *guest = &outputs[spec->noutputs];
  guest->qemu_fd[0] = guest->relay_fd[0] = -1;
  relay_pair(guest, 1);
  guest->sink[1] = STDERR_FILENO;
  int journal = journal_wanted();
  char *unit = journal ? journal_own_unit() : NULL;
  for (size_t a = 0; a < spec->noutputs; a++) {
    struct app_output *o = &outputs[a];
    o->app = spec->outputs[a].app;
    int fd = journal ? journal_connect(JOURNAL_STDOUT_SOCKET, o->app, unit) : -1;
    if (fd >= 0) {
      shutdown(fd, SHUT_RD);
      o->sink[0] = o->sink[1] = fd;
      debugf("app \"%s\": output to the journal", o->app);
    } else {
      o->sink[0] = STDOUT_FILENO;
      o->sink[1] = STDERR_FILENO;
    }
    relay_pair(o, 0);
    relay_pair(o, 1);
  }
  free(unit);
  return outputs;
}

void output_close_qemu_ends(struct app_output *outputs, size_t n) {
  for (size_t a = 0; a < n; a++) {
    for (int s = 0; s < 2; s++) {
      if (outputs[a].qemu_fd[s] >= 0) {
        close(outputs[a].qemu_fd[s]);
        outputs[a].qemu_fd[s] = -1;
      }
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
  write_all(o->sink[stream], buf, (size_t)n);
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
