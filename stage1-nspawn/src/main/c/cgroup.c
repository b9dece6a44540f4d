/*
 * The pod's own cgroup. systemd-nspawn without a service manager to ask (--keep-unit,
 * --register=no) puts itself and the container into new cgroups "supervisor" and "payload"
 * below the cgroup it was started in; started from the host's root cgroup, those would land at
 * the top of the host's hierarchies and stay there. So /init first moves itself into a cgroup of
 * its own, rkt-<uuid>, below its current one, records it in "subcgroup" (as rkt did) and gc
 * removes it again: only that cgroup and what lies below it, and only when empty.
 * A pod registered with machined is in a cgroup systemd makes (machined's scope, or the unit
 * the pod runs in): /init only records it in "subcgroup" and gc leaves it to systemd.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "nspawn.h"

#define SUBCGROUP_FILE "subcgroup"

/* The mount points of the hierarchies nspawn creates its cgroups in; returns how many. */
static int cgroup_roots(const char *roots[2]) {
  struct statfs fs;
  if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
    roots[0] = "/sys/fs/cgroup";
    return 1;
  }
  int n = 0;
  if (statfs("/sys/fs/cgroup/systemd", &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC) {
    roots[n++] = "/sys/fs/cgroup/systemd";
  }
  if (statfs("/sys/fs/cgroup/unified", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
    roots[n++] = "/sys/fs/cgroup/unified";
  }
  return n;
}

/* Our cgroup in the systemd hierarchy (the one nspawn goes by), else the unified one; only the
 * unified one when that is the only hierarchy mounted (a pure cgroup2 host still lists v1
 * hierarchies the kernel has, with paths that mean nothing there). */
static char *own_cgroup(int unified_only) {
  char *text = read_file("/proc/self/cgroup", NULL);
  if (text == NULL) {
    die_errno("read /proc/self/cgroup");
  }
  const char *unified = NULL, *systemd = NULL;
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, "0::", 3) == 0) {
      unified = line + 3;
    } else {
      char *named = strstr(line, ":name=systemd:");
      if (named != NULL) {
        systemd = named + strlen(":name=systemd:");
      }
    }
  }
  const char *path = systemd != NULL && !unified_only ? systemd : unified;
  if (path == NULL || path[0] != '/') {
    die("/proc/self/cgroup names neither a systemd nor a unified cgroup");
  }
  return strdup(path);
}

/* A relative cgroup path without ".." components. */
static int is_relative_below(const char *rel) {
  if (rel[0] == '/' || rel[0] == '\0') {
    return 0;
  }
  for (const char *p = rel; (p = strstr(p, "..")) != NULL; p += 2) {
    if ((p == rel || p[-1] == '/') && (p[2] == '/' || p[2] == '\0')) {
      return 0;
    }
  }
  return 1;
}

/* The cgroup cgroup_enter_pod made: <own cgroup>/rkt-<uuid>. */
static int is_own_pod_cgroup(const char *rel, const char *uuid) {
  char leaf[128];
  snprintf(leaf, sizeof leaf, "rkt-%s", uuid);
  const char *slash = strrchr(rel, '/');
  const char *last = slash != NULL ? slash + 1 : rel;
  return is_relative_below(rel) && strcmp(last, leaf) == 0;
}

void cgroup_record_machine(const char *uuid, int in_unit) {
  char rel[PATH_MAX];
  if (in_unit) {
    struct statfs fs;
    int unified_only = statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
    char *own = own_cgroup(unified_only);
    snprintf(rel, sizeof rel, "%s", own + strspn(own, "/"));
    free(own);
  } else {
    /* machined's scope: "machine-" + the machine name escaped as a unit name (systemd's
     * unit_name_escape: '-' and anything else outside [A-Za-z0-9:_.] as \xNN). */
    size_t n = (size_t)snprintf(rel, sizeof rel, "machine.slice/machine-");
    const char *name[2] = {"rkt-", uuid};
    for (int part = 0; part < 2; part++) {
      for (const unsigned char *c = (const unsigned char *)name[part]; *c != '\0'; c++) {
        int plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                    (*c >= '0' && *c <= '9') || *c == ':' || *c == '_' || *c == '.';
        n += (size_t)snprintf(rel + n, sizeof rel - n, plain ? "%c" : "\\x%02x", *c);
      }
    }
    snprintf(rel + n, sizeof rel - n, ".scope");
  }
  if (!is_relative_below(rel)) {
    die("the pod's cgroup \"%s\" is not a cgroup below the hierarchy's root", rel);
  }
  if (write_file_atomic(SUBCGROUP_FILE, rel) != 0) {
    die_errno("write %s", SUBCGROUP_FILE);
  }
  debugf("init: the pod's cgroup is systemd's %s", rel);
}

void cgroup_enter_pod(const char *uuid) {
  const char *roots[2];
  int nroots = cgroup_roots(roots);
  if (nroots == 0) {
    debugf("init: no systemd or unified cgroup hierarchy; the pod gets no cgroup of its own");
    return;
  }
  char *own = own_cgroup(nroots == 1 && strcmp(roots[0], "/sys/fs/cgroup") == 0);
  char rel[PATH_MAX];
  const char *base = own + strspn(own, "/");
  snprintf(rel, sizeof rel, "%s%srkt-%s", base, base[0] != '\0' ? "/" : "", uuid);
  char pid[32];
  snprintf(pid, sizeof pid, "%d\n", (int)getpid());
  /* Recorded first: a gc after a failure half-way still finds what was created. */
  if (write_file_atomic(SUBCGROUP_FILE, rel) != 0) {
    die_errno("write %s", SUBCGROUP_FILE);
  }
  for (int i = 0; i < nroots; i++) {
    char dir[PATH_MAX], procs[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/%s", roots[i], rel) >= (int)sizeof dir ||
        snprintf(procs, sizeof procs, "%s/cgroup.procs", dir) >= (int)sizeof procs) {
      die("the pod's cgroup path %s/%s is too long", roots[i], rel);
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
      die_errno("create the pod's cgroup %s", dir);
    }
    int fd = open(procs, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, pid, strlen(pid)) < 0) {
      die_errno("move into the pod's cgroup %s", dir);
    }
    close(fd);
    debugf("init: moved into cgroup %s", dir);
  }
  free(own);
}

/* rmdir of dir and every cgroup below it, deepest first; never anything else. */
static int remove_tree(const char *dir, int depth) {
  DIR *d = opendir(dir);
  if (d == NULL) {
    if (errno == ENOENT) {
      return 0;
    }
    fprintf(stderr, "%s: gc: open cgroup %s: %s\n", fly_program_name, dir, strerror(errno));
    return -1;
  }
  int failed = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      continue;
    }
    char child[PATH_MAX];
    snprintf(child, sizeof child, "%s/%s", dir, e->d_name);
    failed |= depth < 16 ? remove_tree(child, depth + 1) : -1;
  }
  closedir(d);
  if (rmdir(dir) != 0 && errno != ENOENT) {
    fprintf(stderr, "%s: gc: remove cgroup %s: %s\n", fly_program_name, dir, strerror(errno));
    return -1;
  }
  debugf("gc: removed cgroup %s", dir);
  return failed;
}

int cgroup_remove_pod(const char *uuid) {
  char *rel = read_file(SUBCGROUP_FILE, NULL);
  if (rel == NULL) {
    if (errno == ENOENT) {
      debugf("gc: pod %s has no %s", uuid, SUBCGROUP_FILE);
      return 0;
    }
    fprintf(stderr, "%s: gc: read %s: %s\n", fly_program_name, SUBCGROUP_FILE, strerror(errno));
    return -1;
  }
  rel[strcspn(rel, "\n")] = '\0';
  if (!is_relative_below(rel)) {
    fprintf(stderr, "%s: gc: %s holds \"%s\", not a cgroup of pod %s; left alone\n",
            fly_program_name, SUBCGROUP_FILE, rel, uuid);
    free(rel);
    return -1;
  }
  if (!is_own_pod_cgroup(rel, uuid)) {
    /* machined's scope or the pod's unit (cgroup_record_machine): systemd removes it. */
    debugf("gc: the pod's cgroup %s is systemd's; left to it", rel);
    free(rel);
    return 0;
  }
  const char *roots[2];
  int nroots = cgroup_roots(roots), failed = 0;
  for (int i = 0; i < nroots; i++) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", roots[i], rel);
    failed |= remove_tree(dir, 0);
  }
  free(rel);
  return failed ? -1 : 0;
}

/* ---- per-app resource cgroups (memory and CPU limits) ---- */

#define APP_CGROUPS_FILE "app-cgroups"

/* The cgroups created for the apps, one absolute path per line in creation order; rewritten
 * whole (atomically) before each mkdir. */
static char *recorded;
static size_t recorded_len;

static void record_cgroup(const char *dir) {
  if (recorded == NULL) {
    /* A pod run again (run-prepared after a failure) keeps what its earlier runs recorded. */
    recorded = read_file(APP_CGROUPS_FILE, &recorded_len);
    if (recorded == NULL && errno != ENOENT) {
      die_errno("read %s", APP_CGROUPS_FILE);
    }
    if (recorded != NULL && recorded_len > 0 && recorded[recorded_len - 1] != '\n') {
      die("%s does not end with a newline; not appending to it", APP_CGROUPS_FILE);
    }
  }
  size_t n = strlen(dir);
  char *grown = realloc(recorded, recorded_len + n + 2);
  if (grown == NULL) {
    die("out of memory");
  }
  recorded = grown;
  memcpy(recorded + recorded_len, dir, n);
  recorded_len += n;
  recorded[recorded_len++] = '\n';
  recorded[recorded_len] = '\0';
  if (write_file_atomic(APP_CGROUPS_FILE, recorded) != 0) {
    die_errno("write %s", APP_CGROUPS_FILE);
  }
}

/* Our cgroup in the v1 hierarchy of a controller ("memory", "cpu"). */
static char *own_v1_cgroup(const char *controller) {
  char *text = read_file("/proc/self/cgroup", NULL);
  if (text == NULL) {
    die_errno("read /proc/self/cgroup");
  }
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    char *list = strchr(line, ':');
    char *path = list != NULL ? strchr(list + 1, ':') : NULL;
    if (path == NULL) {
      continue;
    }
    *path++ = '\0';
    for (char *s2 = NULL, *c = strtok_r(list + 1, ",", &s2); c != NULL;
         c = strtok_r(NULL, ",", &s2)) {
      if (strcmp(c, controller) == 0 && path[0] == '/') {
        char *own = strdup(path);
        free(text);
        return own;
      }
    }
  }
  die("/proc/self/cgroup has no %s hierarchy; the %s limit cannot be set", controller,
      controller);
}

static void write_cgroup_file(const char *dir, const char *file, const char *value,
                              int optional) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 && optional && errno == ENOENT) {
    return;
  }
  if (fd < 0 || write(fd, value, strlen(value)) < 0) {
    die_errno("write %s to %s", value, path);
  }
  close(fd);
}

/* Creates <hierarchy>/<own cgroup>/rkt-<uuid>/app-<name>; returns its path. */
static char *make_app_cgroup(const char *hierarchy, const char *controller, const char *uuid,
                             const char *app) {
  char *own = own_v1_cgroup(controller);
  const char *base = own + strspn(own, "/");
  char pod[PATH_MAX], dir[PATH_MAX];
  if (snprintf(pod, sizeof pod, "%s/%s%srkt-%s", hierarchy, base, base[0] ? "/" : "", uuid) >=
          (int)sizeof pod ||
      snprintf(dir, sizeof dir, "%s/app-%s", pod, app) >= (int)sizeof dir) {
    die("the cgroup path for app \"%s\" is too long", app);
  }
  free(own);
  struct stat st;
  if (stat(pod, &st) != 0) {
    record_cgroup(pod);
    if (mkdir(pod, 0755) != 0 && errno != EEXIST) {
      die_errno("create cgroup %s", pod);
    }
  }
  record_cgroup(dir);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    die_errno("create cgroup %s", dir);
  }
  debugf("init: created cgroup %s", dir);
  return strdup(dir);
}

void cgroup_create_app_limits(const char *uuid, const struct plan_app *app, char **memory_dir,
                              char **cpu_dir) {
  *memory_dir = *cpu_dir = NULL;
  if (app->memory_limit == 0 && app->cpu_quota_milli == 0) {
    return;
  }
  struct statfs fs;
  if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
    /* Needs the pod cgroup split into a process-free parent (cgroup2's rule for enabling
     * controllers below it); not done yet. */
    die("app \"%s\": memory and CPU limits are not implemented on a cgroup2-only host yet",
        app->name);
  }
  char value[64];
  if (app->memory_limit > 0) {
    *memory_dir = make_app_cgroup("/sys/fs/cgroup/memory", "memory", uuid, app->name);
    snprintf(value, sizeof value, "%ld", app->memory_limit);
    write_cgroup_file(*memory_dir, "memory.limit_in_bytes", value, 0);
    /* With swap accounting, memory+swap too: otherwise the app swaps instead of hitting it. */
    write_cgroup_file(*memory_dir, "memory.memsw.limit_in_bytes", value, 1);
  }
  if (app->cpu_quota_milli > 0) {
    if (app->cpu_quota_milli < 10) {
      die("app \"%s\": a CPU limit of %ldm is below the kernel's minimum of 10m", app->name,
          app->cpu_quota_milli);
    }
    *cpu_dir = make_app_cgroup("/sys/fs/cgroup/cpu", "cpu", uuid, app->name);
    write_cgroup_file(*cpu_dir, "cpu.cfs_period_us", "100000", 0);
    snprintf(value, sizeof value, "%ld", app->cpu_quota_milli * 100);
    write_cgroup_file(*cpu_dir, "cpu.cfs_quota_us", value, 0);
  }
}

/* A recorded path gc may rmdir: below /sys/fs/cgroup, no "." or ".." components, ending in
 * rkt-<uuid> or rkt-<uuid>/app-<name>. */
static int is_recorded_app_cgroup(const char *path, const char *uuid) {
  const char *prefix = "/sys/fs/cgroup/";
  if (strncmp(path, prefix, strlen(prefix)) != 0 || strstr(path, "//") != NULL ||
      strstr(path, "/./") != NULL || strstr(path, "/../") != NULL) {
    return 0;
  }
  size_t n = strlen(path);
  if (n >= 2 && (strcmp(path + n - 2, "/.") == 0 || (n >= 3 && strcmp(path + n - 3, "/..") == 0))) {
    return 0;
  }
  char leaf[128];
  snprintf(leaf, sizeof leaf, "/rkt-%s", uuid);
  const char *at = strstr(path, leaf);
  if (at == NULL) {
    return 0;
  }
  const char *rest = at + strlen(leaf);
  return rest[0] == '\0' ||
         (strncmp(rest, "/app-", 5) == 0 && rest[5] != '\0' && strchr(rest + 5, '/') == NULL);
}

int cgroup_remove_app_limits(const char *uuid) {
  char *text = read_file(APP_CGROUPS_FILE, NULL);
  if (text == NULL) {
    if (errno == ENOENT) {
      return 0;
    }
    fprintf(stderr, "%s: gc: read %s: %s\n", fly_program_name, APP_CGROUPS_FILE,
            strerror(errno));
    return -1;
  }
  size_t max = 1;
  for (const char *p = text; *p != '\0'; p++) {
    max += *p == '\n';
  }
  char **lines = calloc(max, sizeof *lines);
  if (lines == NULL) {
    die("out of memory");
  }
  size_t n = 0;
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL && n < max;
       line = strtok_r(NULL, "\n", &save)) {
    lines[n++] = line;
  }
  int failed = 0;
  /* Children were recorded after their parents: remove in reverse. */
  while (n-- > 0) {
    if (!is_recorded_app_cgroup(lines[n], uuid)) {
      fprintf(stderr, "%s: gc: %s names \"%s\", not a cgroup of pod %s; left alone\n",
              fly_program_name, APP_CGROUPS_FILE, lines[n], uuid);
      failed = 1;
    } else if (rmdir(lines[n]) == 0) {
      debugf("gc: removed cgroup %s", lines[n]);
    } else if (errno != ENOENT) {
      fprintf(stderr, "%s: gc: remove cgroup %s: %s\n", fly_program_name, lines[n],
              strerror(errno));
      failed = 1;
    }
  }
  free(lines);
  free(text);
  return failed ? -1 : 0;
}
