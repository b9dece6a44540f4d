/*
 * The VM spec stage0 writes for this flavor (stage1/rootfs/rkt/vm): NUL-terminated strings,
 * "version" "1", then keyed entries. Fields point into the file's buffer, never freed.
 *
 *   accel NAME | boot-timeout-ms N | host-pod-dir PATH | virtiofsd COUNT ARGS... |
 *   volume TAG HOST-PATH COUNT ARGS... (repeated) | read-only TAG (after its volume) |
 *   output APP OUT-FD ERR-FD (repeated) |
 *   qemu COUNT ARGS...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm.h"

static void spec_fail(const char *path, size_t at, const char *what, const char *arg)
    __attribute__((noreturn));

static void spec_fail(const char *path, size_t at, const char *what, const char *arg) {
  die("VM spec %s: entry %zu: %s%s%s", path, at, what, arg ? ": " : "", arg ? arg : "");
}

void spec_load(const char *path, struct vm_spec *spec) {
  size_t size;
  char *text = read_file(path, &size);
  if (text == NULL) {
    die_errno("read the VM spec %s", path);
  }
  if (size == 0 || text[size - 1] != '\0') {
    die("VM spec %s: not a list of NUL-terminated strings", path);
  }
  size_t n = 0;
  for (size_t i = 0; i < size; i++) {
    n += text[i] == '\0';
  }
  char **fields = calloc(n + 1, sizeof *fields);
  if (fields == NULL) {
    die("out of memory");
  }
  char *p = text;
  for (size_t i = 0; i < n; i++) {
    fields[i] = p;
    p += strlen(p) + 1;
  }
  if (n < 2 || strcmp(fields[0], "version") != 0 || strcmp(fields[1], "1") != 0) {
    die("VM spec %s: want version 1", path);
  }
  memset(spec, 0, sizeof *spec);
  spec->boot_timeout_ms = -1;
  size_t i = 2;
  while (i < n) {
    size_t at = i;
    const char *key = fields[i++];
    if (i >= n) {
      spec_fail(path, at, "entry is cut short", key);
    }
    if (strcmp(key, "accel") == 0) {
      spec->accel = fields[i++];
      if (strcmp(spec->accel, "kvm") != 0 && strcmp(spec->accel, "tcg") != 0) {
        spec_fail(path, at, "accel must be kvm or tcg, not", spec->accel);
      }
    } else if (strcmp(key, "boot-timeout-ms") == 0) {
      spec->boot_timeout_ms = parse_decimal(fields[i++], INT_MAX);
      if (spec->boot_timeout_ms <= 0) {
        spec_fail(path, at, "boot-timeout-ms must be a positive number", NULL);
      }
    } else if (strcmp(key, "host-pod-dir") == 0) {
      spec->host_pod_dir = fields[i++];
      if (spec->host_pod_dir[0] != '/') {
        spec_fail(path, at, "host-pod-dir must be absolute", spec->host_pod_dir);
      }
    } else if (strcmp(key, "read-only") == 0) {
      const char *tag = fields[i++];
      size_t v = 0;
      while (v < spec->nvolumes && strcmp(spec->volumes[v].tag, tag) != 0) {
        v++;
      }
      if (v == spec->nvolumes) {
        spec_fail(path, at, "read-only names no volume before it", tag);
      }
      spec->volumes[v].read_only = 1;
    } else if (strcmp(key, "output") == 0) {
      if (i + 2 >= n) {
        spec_fail(path, at, "entry is cut short", key);
      }
      struct vm_output *grown =
          realloc(spec->outputs, (spec->noutputs + 1) * sizeof *spec->outputs);
      if (grown == NULL) {
        die("out of memory");
      }
      spec->outputs = grown;
      struct vm_output *o = &spec->outputs[spec->noutputs++];
      o->app = fields[i++];
      long out_fd = parse_decimal(fields[i++], 1023), err_fd = parse_decimal(fields[i++], 1023);
      if (o->app[0] == '\0' || out_fd < 3 || err_fd < 3 || out_fd == err_fd) {
        spec_fail(path, at, "bad output entry for app", o->app);
      }
      o->out_fd = (int)out_fd;
      o->err_fd = (int)err_fd;
    } else if (strcmp(key, "virtiofsd") == 0 || strcmp(key, "qemu") == 0 ||
               strcmp(key, "volume") == 0) {
      struct vm_volume *volume = NULL;
      if (key[1] == 'o') { /* volume TAG HOST-PATH, then the count */
        if (i + 2 >= n) {
          spec_fail(path, at, "entry is cut short", key);
        }
        struct vm_volume *grown =
            realloc(spec->volumes, (spec->nvolumes + 1) * sizeof *spec->volumes);
        if (grown == NULL) {
          die("out of memory");
        }
        spec->volumes = grown;
        volume = &spec->volumes[spec->nvolumes++];
        volume->read_only = 0;
        volume->tag = fields[i++];
        volume->host_path = fields[i++];
        if (volume->tag[0] == '\0' || strchr(volume->tag, '/') != NULL ||
            volume->host_path[0] != '/') {
          spec_fail(path, at, "bad volume tag or host path", volume->tag);
        }
      }
      long count = parse_decimal(fields[i++], INT_MAX);
      if (count <= 0 || (size_t)count > n - i) {
        spec_fail(path, at, "bad argument count for", key);
      }
      char **argv = calloc((size_t)count + 1, sizeof *argv);
      if (argv == NULL) {
        die("out of memory");
      }
      for (long k = 0; k < count; k++) {
        argv[k] = fields[i++];
      }
      if (volume != NULL) {
        volume->virtiofsd = argv;
      } else if (key[0] == 'q') {
        spec->qemu = argv;
      } else {
        spec->virtiofsd = argv;
      }
    } else {
      spec_fail(path, at, "unknown entry", key);
    }
  }
  if (spec->accel == NULL || spec->boot_timeout_ms < 0 || spec->host_pod_dir == NULL ||
      spec->qemu == NULL || spec->virtiofsd == NULL) {
    die("VM spec %s: accel, boot-timeout-ms, host-pod-dir, virtiofsd and qemu are all required",
        path);
  }
}
