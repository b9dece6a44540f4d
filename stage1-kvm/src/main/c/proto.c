/* Frames on the virtio-serial ports; see kvm.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kvm.h"

/* A non-blocking fd that would block: waits up to this long for it, then gives up. A
 * virtio-serial port without a host client blocks writes until one comes, so the guest opens its
 * agent port non-blocking and must not wait forever for a client that went away. */
#define STALL_MS 5000
/* A port also reports "no host client" (POLLHUP, reads at end of stream) while the guest kernel
 * has not yet handled the host's news that a new client connected, although that client's data
 * may already be there: qemu tells a client's departure and the next one's arrival on the
 * device's control queue, which the guest handles apart from the port's data. Without this grace
 * the agent could drop the request or the replies of a client that has just connected, and that
 * `enter` would wait forever. A client that is really gone costs this much once. */
#define HUP_GRACE_MS 1000

static void pause_ms(int ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

static int wait_for(int fd, short events) {
  struct pollfd p = {fd, events, 0};
  int n, waited = 0;
  for (;;) {
    do {
      n = poll(&p, 1, STALL_MS);
    } while (n < 0 && errno == EINTR);
    if (n == 1 && (p.revents & events)) {
      return 0;
    }
    if (n == 1 && (p.revents & POLLHUP) && waited < HUP_GRACE_MS) {
      pause_ms(2);
      waited += 2;
      continue;
    }
    errno = n == 0 ? ETIMEDOUT : EPIPE;
    return -1;
  }
}

static int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN && wait_for(fd, POLLOUT) == 0) {
        continue;
      }
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* 1 when all was read, 0 at end of stream before any byte, -1 on error or a short stream. */
static int read_all(int fd, void *buf, size_t n) {
  char *p = buf;
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN && wait_for(fd, POLLIN) == 0) {
        continue;
      }
      return -1;
    }
    if (r == 0 && got > 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK)) {
      /* a port in the middle of a frame: the rest may come once the guest kernel caught up */
      if (wait_for(fd, POLLIN) == 0) {
        continue;
      }
    }
    if (r == 0) {
      errno = got == 0 ? 0 : EPROTO;
      return got == 0 ? 0 : -1;
    }
    got += (size_t)r;
  }
  return 1;
}

int frame_write(int fd, int type, const void *payload, size_t length) {
  if (length > FRAME_MAX_PAYLOAD) {
    errno = EMSGSIZE;
    return -1;
  }
  unsigned char header[5] = {(unsigned char)type, (unsigned char)(length & 0xff),
                             (unsigned char)((length >> 8) & 0xff),
                             (unsigned char)((length >> 16) & 0xff),
                             (unsigned char)((length >> 24) & 0xff)};
  /* One write when it fits: a virtio-serial port delivers it as one piece. */
  char buf[4096];
  if (length + sizeof header <= sizeof buf) {
    memcpy(buf, header, sizeof header);
    if (length > 0) {
      memcpy(buf + sizeof header, payload, length);
    }
    return write_all(fd, buf, length + sizeof header);
  }
  if (write_all(fd, header, sizeof header) != 0) {
    return -1;
  }
  return write_all(fd, payload, length);
}

int frame_read(int fd, struct frame *frame) {
  unsigned char header[5];
  int r = read_all(fd, header, sizeof header);
  if (r <= 0) {
    return -1;
  }
  uint32_t length = (uint32_t)header[1] | (uint32_t)header[2] << 8 | (uint32_t)header[3] << 16 |
                    (uint32_t)header[4] << 24;
  if (length > FRAME_MAX_PAYLOAD) {
    errno = EMSGSIZE;
    return -1;
  }
  char *payload = malloc(length + 1);
  if (payload == NULL) {
    return -1;
  }
  if (length > 0 && read_all(fd, payload, length) != 1) {
    if (errno == 0) {
      errno = EPROTO;
    }
    free(payload);
    return -1;
  }
  payload[length] = '\0';
  frame->type = header[0];
  frame->length = length;
  frame->payload = payload;
  return 0;
}
