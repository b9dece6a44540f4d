#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fly.h"

int fly_debug_enabled;
const char *fly_program_name = "stage1-fly";

static void vprint(const char *fmt, va_list ap, int err) {
  char line[4096];
  int n = vsnprintf(line, sizeof line, fmt, ap);
  if (n < 0) {
    n = 0;
  }
  if ((size_t)n >= sizeof line) {
    n = sizeof line - 1;
  }
  if (err != 0) {
    snprintf(line + n, sizeof line - (size_t)n, ": %s", strerror(err));
  }
  /* One write, so that lines of concurrent processes do not interleave. */
  dprintf(STDERR_FILENO, "%s: %s\n", fly_program_name, line);
}

void debugf(const char *fmt, ...) {
  if (!fly_debug_enabled) {
    return;
  }
  int saved = errno;
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap, 0);
  va_end(ap);
  errno = saved;
}

void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap, 0);
  va_end(ap);
  exit(FLY_EXIT_FAILURE);
}

void die_errno(const char *fmt, ...) {
  int err = errno;
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap, err);
  va_end(ap);
  exit(FLY_EXIT_FAILURE);
}

char *read_file(const char *path, size_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return NULL;
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (buf == NULL) {
      close(fd);
      errno = ENOMEM;
      return NULL;
    }
    if (len + 1 >= cap) {
      cap *= 2;
      char *bigger = realloc(buf, cap);
      if (bigger == NULL) {
        free(buf);
      }
      buf = bigger;
      continue;
    }
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int err = errno;
      free(buf);
      close(fd);
      errno = err;
      return NULL;
    }
    if (n == 0) {
      break;
    }
    len += (size_t)n;
  }
  close(fd);
  buf[len] = '\0';
  if (size != NULL) {
    *size = len;
  }
  return buf;
}

int write_file_atomic(const char *path, const char *content) {
  char tmp[PATH_MAX];
  const char *slash = strrchr(path, '/');
  int dirlen = slash == NULL ? 0 : (int)(slash - path + 1);
  /* A dot name: whoever lists the directory for results skips it. */
  if (snprintf(tmp, sizeof tmp, "%.*s.%s.tmp", dirlen, path, path + dirlen) >= (int)sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    return -1;
  }
  size_t len = strlen(content), done = 0;
  while (done < len) {
    ssize_t n = write(fd, content + done, len - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int err = errno;
      close(fd);
      unlink(tmp);
      errno = err;
      return -1;
    }
    done += (size_t)n;
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    int err = errno;
    unlink(tmp);
    errno = err;
    return -1;
  }
  return 0;
}

long parse_decimal(const char *s, long max) {
  if (s == NULL || *s < '0' || *s > '9') {
    return -1;
  }
  long value = 0;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9') {
      return -1;
    }
    value = value * 10 + (*s - '0');
    if (value > max) {
      return -1;
    }
  }
  return value;
}

long read_decimal_file(const char *path) {
  char *text = read_file(path, NULL);
  if (text == NULL) {
    return -1;
  }
  size_t len = strlen(text);
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' ')) {
    text[--len] = '\0';
  }
  long value = parse_decimal(text, INT_MAX);
  free(text);
  if (value < 0) {
    errno = EINVAL;
  }
  return value;
}

static int close_range_fds(unsigned int lo, unsigned int hi) {
  if (lo > hi) {
    return 0;
  }
  return (int)syscall(SYS_close_range, lo, hi, 0);
}

void close_fds_except(int keep) {
  int ok;
  if (keep > 2) {
    ok = close_range_fds(3, (unsigned int)keep - 1) == 0 &&
         close_range_fds((unsigned int)keep + 1, ~0U) == 0;
  } else {
    ok = close_range_fds(3, ~0U) == 0;
  }
  if (ok) {
    return;
  }
  /* Kernels before 5.9: walk the fd table. */
  DIR *dir = opendir("/proc/self/fd");
  if (dir == NULL) {
    die_errno("close inherited fds: open /proc/self/fd");
  }
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    long fd = parse_decimal(entry->d_name, INT_MAX);
    if (fd > 2 && fd != keep && fd != dirfd(dir)) {
      close((int)fd);
    }
  }
  closedir(dir);
}

int flag_value(int argc, char **argv, int *i, const char *name, const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) {
    return 0;
  }
  if (arg[n] == '=') {
    *value = arg + n + 1;
    return 1;
  }
  if (arg[n] != '\0') {
    return 0;
  }
  if (*i + 1 >= argc) {
    die("flag %s needs a value", name);
  }
  *i += 1;
  *value = argv[*i];
  return 1;
}

int flag_bool(const char *arg, const char *name, int *on) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0) {
    return 0;
  }
  if (arg[n] == '\0') {
    *on = 1;
    return 1;
  }
  if (arg[n] != '=') {
    return 0;
  }
  const char *v = arg + n + 1;
  if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
    *on = 1;
  } else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) {
    *on = 0;
  } else {
    die("flag %s: invalid boolean \"%s\"", name, v);
  }
  return 1;
}

char *dns_conf_mode_of(const char *conf_mode, const char *key) {
  size_t klen = strlen(key);
  const char *p = conf_mode;
  while (p != NULL && *p != '\0') {
    const char *end = strchr(p, ',');
    size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
    if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
      return strndup(p + klen + 1, len - klen - 1);
    }
    p = end != NULL ? end + 1 : NULL;
  }
  return strdup("default");
}

void copy_file_with(const char *from, const char *extra, const char *to) {
  size_t size;
  char *text = read_file(from, &size);
  if (text == NULL) {
    die_errno("read %s for --dns-conf-mode", from);
  }
  char *out;
  const char *sep = size > 0 && text[size - 1] != '\n' ? "\n" : "";
  if (asprintf(&out, "%s%s%s", text, sep, extra) < 0) {
    die("out of memory");
  }
  if (write_file_atomic(to, out) != 0) {
    die_errno("write %s", to);
  }
  free(out);
  free(text);
}
