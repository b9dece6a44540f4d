/*
 * The pod's /etc/hostname, /etc/hosts and /etc/resolv.conf for its apps. /init writes them
 * under the stage1 rootfs's rkt/dns/ (or has nspawn bind the host's files there, for
 * --dns-conf-mode=...=host) before the container starts; the supervisor binds them read-only
 * over each app's files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nspawn.h"

#define DNS_DIR NSPAWN_STAGE1_ROOTFS NSPAWN_DNS_IN_CONTAINER

static void put(const char *path, const char *content) {
  if (write_file_atomic(path, content) != 0) {
    die_errno("write %s", path);
  }
}

/* The stage0-written file at path plus extra, into the dns directory as name. */
static void copy_with(const char *from, const char *extra, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", DNS_DIR, name);
  copy_file_with(from, extra, path);
}

size_t dns_prepare(const char *uuid, const char *hostname, const char *conf_mode,
                   char *binds[2]) {
  size_t nbinds = 0;
  char host[256];
  if (hostname != NULL && hostname[0] != '\0') {
    snprintf(host, sizeof host, "%s", hostname);
  } else {
    snprintf(host, sizeof host, "rkt-%s", uuid);
  }
  if ((mkdir(NSPAWN_STAGE1_ROOTFS "/rkt", 0755) != 0 && errno != EEXIST) ||
      (mkdir(DNS_DIR, 0755) != 0 && errno != EEXIST) ||
      (mkdir(NSPAWN_STAGE1_ROOTFS "/etc", 0755) != 0 && errno != EEXIST)) {
    die_errno("create %s", DNS_DIR);
  }
  const char *stale[] = {"resolv.conf", "hosts", "hosts-fallback", "hostname"};
  for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", DNS_DIR, stale[i]);
    if (unlink(path) != 0 && errno != ENOENT) {
      die_errno("remove %s", path);
    }
  }
  char line[300];
  snprintf(line, sizeof line, "%s\n", host);
  put(DNS_DIR "/hostname", line);
  put(NSPAWN_STAGE1_ROOTFS "/etc/hostname", line);

  char *resolv = dns_conf_mode_of(conf_mode, "resolv");
  if (strcmp(resolv, "stage0") == 0) {
    copy_with(NSPAWN_STAGE1_ROOTFS "/etc/rkt-resolv.conf", "", "resolv.conf");
  } else if (strcmp(resolv, "host") == 0) {
    binds[nbinds++] = "--bind-ro=/etc/resolv.conf:" NSPAWN_DNS_IN_CONTAINER "/resolv.conf";
  } else if (strcmp(resolv, "none") != 0 && strcmp(resolv, "default") != 0) {
    die("run: --dns-conf-mode=%s: unknown resolv mode \"%s\"", conf_mode, resolv);
  }
  char *hosts = dns_conf_mode_of(conf_mode, "hosts");
  snprintf(line, sizeof line, "127.0.0.1 %s\n", host);
  if (strcmp(hosts, "stage0") == 0) {
    copy_with(NSPAWN_STAGE1_ROOTFS "/etc/rkt-hosts", line, "hosts");
  } else if (strcmp(hosts, "host") == 0) {
    binds[nbinds++] = "--bind-ro=/etc/hosts:" NSPAWN_DNS_IN_CONTAINER "/hosts";
  } else if (strcmp(hosts, "default") == 0) {
    char *fallback;
    if (asprintf(&fallback, "127.0.0.1 localhost localhost.localdomain\n"
                            "::1 localhost localhost.localdomain\n%s", line) < 0) {
      die("out of memory");
    }
    put(DNS_DIR "/hosts-fallback", fallback);
    free(fallback);
  } else {
    die("run: --dns-conf-mode=%s: unknown hosts mode \"%s\"", conf_mode, hosts);
  }
  free(resolv);
  free(hosts);
  return nbinds;
}

/* Adds one read-only bind of source (in the container) on target (in the app), if source
 * exists. */
static void add_mount(struct plan_mount *out, size_t *n, const char *source, const char *target) {
  struct stat st;
  if (stat(source, &st) != 0) {
    return;
  }
  out[*n].source = source;
  out[*n].target = target;
  out[*n].bind = 1;
  out[*n].readonly = 1;
  (*n)++;
}

size_t dns_app_mounts(const char *app_root, struct plan_mount out[3]) {
  size_t n = 0;
  add_mount(out, &n, NSPAWN_DNS_IN_CONTAINER "/hostname", "/etc/hostname");
  add_mount(out, &n, NSPAWN_DNS_IN_CONTAINER "/resolv.conf", "/etc/resolv.conf");
  struct stat st;
  if (stat(NSPAWN_DNS_IN_CONTAINER "/hosts", &st) == 0) {
    add_mount(out, &n, NSPAWN_DNS_IN_CONTAINER "/hosts", "/etc/hosts");
  } else {
    /* The fallback only for apps without a hosts file of their own (a symlink counts; an
     * empty file does not: it is what a bind mount point left from an earlier run looks like). */
    char own[4096];
    snprintf(own, sizeof own, "%s/etc/hosts", app_root);
    if (lstat(own, &st) != 0 || (S_ISREG(st.st_mode) && st.st_size == 0)) {
      add_mount(out, &n, NSPAWN_DNS_IN_CONTAINER "/hosts-fallback", "/etc/hosts");
    }
  }
  return n;
}
