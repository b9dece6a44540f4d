/*
 * The pod's hostname, hosts and resolv.conf (written by the host's /run to KVM_DNS_DIR) bound
 * read-only over each app's files, before the plan's mounts: a volume on one of them wins.
 * The hosts fallback only for an app without a hosts file of its own, as stage1-nspawn does.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "guest.h"

static int add(struct plan_mount *out, size_t n, const char *name, const char *target) {
  char path[PATH_MAX];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", KVM_DNS_DIR, name);
  if (stat(path, &st) != 0) {
    return 0;
  }
  char *source;
  if (asprintf(&source, "%s/%s", GUEST_POD_MOUNT, path) < 0) {
    die("out of memory");
  }
  out[n] = (struct plan_mount){.source = source, .target = target, .bind = 1, .readonly = 1};
  return 1;
}

void guest_dns_mounts(struct plan_app *app) {
  struct plan_mount *mounts = calloc(app->nmounts + 3, sizeof *mounts);
  if (mounts == NULL) {
    die("out of memory");
  }
  size_t n = 0;
  n += add(mounts, n, "hostname", "/etc/hostname");
  n += add(mounts, n, "resolv.conf", "/etc/resolv.conf");
  if (!add(mounts, n, "hosts", "/etc/hosts")) {
    char own[PATH_MAX];
    struct stat st;
    snprintf(own, sizeof own, "%s/etc/hosts", app->root);
    /* An empty file is what a bind mount point left from an earlier run looks like. */
    if (lstat(own, &st) != 0 || (S_ISREG(st.st_mode) && st.st_size == 0)) {
      n += add(mounts, n, "hosts-fallback", "/etc/hosts");
    }
  } else {
    n++;
  }
  memcpy(mounts + n, app->mounts, app->nmounts * sizeof *mounts);
  app->mounts = mounts;
  app->nmounts += n;
}
