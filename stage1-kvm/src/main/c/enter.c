/*
 * enter --pid=PID --appname=APP -- CMD [ARGS...]: runs CMD in the app inside the VM through the
 * guest agent (the "agent" virtio-serial port, a socket qemu serves in the pod directory). The
 * guest runs it chrooted in the app with the app's environment; its stdout and stderr come back
 * here, and this process exits with its status (254 when it cannot be run). PID is ignored: the
 * pod's processes are in the VM. qemu serves one client at a time: a second enter waits until the
 * first has ended.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kvm.h"

int kvm_enter_main(int argc, char **argv) {
  long pid;
  const char *app;
  int cmd = enter_parse_args(argc, argv, &pid, &app);
  size_t length = strlen(app) + 1;
  for (int i = cmd; i < argc; i++) {
    length += strlen(argv[i]) + 1;
  }
  char *request = malloc(length);
  if (request == NULL) {
    die("out of memory");
  }
  char *p = stpcpy(request, app) + 1;
  for (int i = cmd; i < argc; i++) {
    p = stpcpy(p, argv[i]) + 1;
  }

  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", KVM_AGENT_SOCKET);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    die_errno("enter: socket");
  }
  /* The socket appears once qemu runs; a pod just started may not have it yet. */
  int tries = 0;
  while (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    if (++tries > 100 || (errno != EAGAIN && errno != ECONNREFUSED && errno != ENOENT)) {
      die_errno("enter: connect to the guest agent (%s): is the pod running?", KVM_AGENT_SOCKET);
    }
    usleep(10000);
  }
  if (frame_write(fd, FRAME_COMMAND, request, length) != 0) {
    die_errno("enter: send the command to the guest agent");
  }
  int accepted = 0; /* frames before ACCEPTED belong to a previous client's command */
  for (;;) {
    struct frame f;
    if (frame_read(fd, &f) != 0) {
      die("enter: the guest agent went away before the command ended");
    }
    if (f.type == FRAME_ACCEPTED) {
      accepted = 1;
    } else if (!accepted) {
      /* ignored */
    } else if (f.type == FRAME_OUT || f.type == FRAME_ERR) {
      int out = f.type == FRAME_OUT ? 1 : 2;
      for (uint32_t off = 0; off < f.length;) {
        ssize_t w = write(out, f.payload + off, f.length - off);
        if (w < 0) {
          if (errno == EINTR) {
            continue;
          }
          break;
        }
        off += (uint32_t)w;
      }
    } else if (f.type == FRAME_EXIT) {
      long code = parse_decimal(f.payload, 255);
      return code < 0 ? FLY_EXIT_FAILURE : (int)code;
    }
    free(f.payload);
  }
}
