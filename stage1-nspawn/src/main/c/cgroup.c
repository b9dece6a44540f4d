/*
 * The pod's own cgroup. systemd-nspawn without a service manager to ask (--keep-unit,
 * --register=no) puts itself and the container into new cgroups "supervisor" and "payload"
 * below the cgroup it was started in; started from the host's root cgroup, those would land at
 * the top of the host's hierarchies and stay there. So /init first moves itself into a cgroup of
 * its own, rkt-<uuid>, below its current one, records it in "subcgroup" (as rkt did) and gc
 * removes it again: only that cgroup and what lies below it, and only when empty.
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

/* Our cgroup in the systemd hierarchy (the one nspawn goes by), else the unified one. */
static char *own_cgroup(void) {
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
  const char *path = systemd != NULL ? systemd : unified;
  if (path == NULL || path[0] != '/') {
    die("/proc/self/cgroup names neither a systemd nor a unified cgroup");
  }
  return strdup(path);
}

static int is_pod_subcgroup(const char *rel, const char *uuid) {
  char leaf[128];
  snprintf(leaf, sizeof leaf, "rkt-%s", uuid);
  const char *slash = strrchr(rel, '/');
  const char *last = slash != NULL ? slash + 1 : rel;
  if (rel[0] == '/' || strcmp(last, leaf) != 0) {
    return 0;
  }
  for (const char *p = rel; (p = strstr(p, "..")) != NULL; p += 2) {
    if ((p == rel || p[-1] == '/') && (p[2] == '/' || p[2] == '\0')) {
      return 0;
    }
  }
  return 1;
}

void cgroup_enter_pod(const char *uuid) {
  const char *roots[2];
  int nroots = cgroup_roots(roots);
  if (nroots == 0) {
    debugf("init: no systemd or unified cgroup hierarchy; the pod gets no cgroup of its own");
    return;
  }
  char *own = own_cgroup();
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
  if (!is_pod_subcgroup(rel, uuid)) {
    fprintf(stderr, "%s: gc: %s holds \"%s\", not this pod's cgroup rkt-%s; left alone\n",
            fly_program_name, SUBCGROUP_FILE, rel, uuid);
    free(rel);
    return -1;
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
