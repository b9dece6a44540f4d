/*
 * gc [--debug] [--local-config=DIR] UUID: the run entrypoint mounts nothing in the host's mount
 * namespace, so normally there is nothing to do. As a safety net, anything still mounted at or
 * below the pod directory (and nothing else) is lazily unmounted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "fly.h"

/* Undoes mountinfo's octal escapes (\040 for space, ...) in place. */
static void unescape(char *s) {
  char *out = s;
  for (char *in = s; *in != '\0'; in++) {
    if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
        in[3] >= '0' && in[3] <= '7') {
      *out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
      in += 3;
    } else {
      *out++ = *in;
    }
  }
  *out = '\0';
}

static int is_at_or_below(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int deeper_first(const void *a, const void *b) {
  size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);
  return (x < y) - (x > y);
}

static int local_config_flag(int argc, char **argv, int *i, void *ctx) {
  (void)ctx;
  const char *value;
  return flag_value(argc, argv, i, "--local-config", &value); /* no configuration to read */
}

int gc_main(int argc, char **argv) {
  const char *uuid = parse_uuid_args("gc", argc, argv, local_config_flag, NULL);

  char pod_dir[PATH_MAX];
  if (getcwd(pod_dir, sizeof pod_dir) == NULL) {
    die_errno("gc: pod %s: getcwd", uuid);
  }
  /* Everything mounted below the cwd is unmounted: insist on pods/<state>/<uuid>. */
  char *base = strrchr(pod_dir, '/');
  char *state = NULL, *pods = NULL;
  if (base != NULL && base != pod_dir) {
    *base = '\0';
    state = strrchr(pod_dir, '/');
    if (state != NULL && state != pod_dir) {
      *state = '\0';
      pods = strrchr(pod_dir, '/');
      *state = '/';
    }
    *base = '/';
  }
  if (pods == NULL || state - pods != 5 || strncmp(pods, "/pods/", 6) != 0 || state[1] == '/' ||
      strcmp(base + 1, uuid) != 0) {
    die("gc: pod %s: the cwd %s is not pods/<state>/%s", uuid, pod_dir, uuid);
  }
  char *text = read_file("/proc/self/mountinfo", NULL);
  if (text == NULL) {
    die_errno("gc: read /proc/self/mountinfo");
  }

  /* Field 5 of each line is the mount point. */
  size_t count = 0, cap = 0;
  char **targets = NULL;
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    char *field = line;
    for (int f = 1; f < 5 && field != NULL; f++) {
      field = strchr(field, ' ');
      if (field != NULL) {
        field++;
      }
    }
    if (field == NULL) {
      continue;
    }
    field[strcspn(field, " ")] = '\0';
    unescape(field);
    if (!is_at_or_below(field, pod_dir)) {
      continue;
    }
    if (count == cap) {
      cap = cap == 0 ? 16 : cap * 2;
      targets = realloc(targets, cap * sizeof *targets);
      if (targets == NULL) {
        die("out of memory");
      }
    }
    targets[count++] = field;
  }
  qsort(targets, count, sizeof *targets, deeper_first);

  int failed = 0;
  for (size_t i = 0; i < count; i++) {
    if (umount2(targets[i], MNT_DETACH | UMOUNT_NOFOLLOW) == 0) {
      debugf("gc: pod %s: unmounted %s", uuid, targets[i]);
    } else if (errno != EINVAL && errno != ENOENT) {
      /* EINVAL/ENOENT: went with a mount detached before it. */
      fprintf(stderr, "%s: gc: pod %s: unmount %s: %s\n", fly_program_name, uuid, targets[i],
              strerror(errno));
      failed = 1;
    }
  }
  if (count == 0) {
    debugf("gc: pod %s: nothing mounted under %s", uuid, pod_dir);
  }
  return failed ? FLY_EXIT_FAILURE : 0;
}
