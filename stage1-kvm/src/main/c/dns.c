/*
 * The pod's /etc/hostname, /etc/hosts and /etc/resolv.conf for the apps of a VM pod, as
 * stage1-nspawn gives them (--dns-conf-mode=resolv=R,hosts=H): /run writes them to
 * KVM_DNS_DIR in the pod directory, copying the host's files for mode host (the guest cannot
 * see the host's), and the guest binds them read-only over each app's files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kvm.h"

static void put(const char *name, const char *content) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", KVM_DNS_DIR, name);
  if (write_file_atomic(path, content) != 0) {
    die_errno("write %s", path);
  }
}

/* The file at from plus extra, into the dns directory as name. */
static void copy_with(const char *from, const char *extra, const char *name) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", KVM_DNS_DIR, name);
  copy_file_with(from, extra, path);
}

void kvm_dns_prepare(const char *hostname, const char *conf_mode) {
  if (mkdir(KVM_DNS_DIR, 0755) != 0 && errno != EEXIST) {
    die_errno("create %s", KVM_DNS_DIR);
  }
  const char *stale[] = {"resolv.conf", "hosts", "hosts-fallback", "hostname"};
  for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", KVM_DNS_DIR, stale[i]);
    if (unlink(path) != 0 && errno != ENOENT) {
      die_errno("remove %s", path);
    }
  }
  char line[300];
  snprintf(line, sizeof line, "%s\n", hostname);
  put("hostname", line);
  char *resolv = dns_conf_mode_of(conf_mode, "resolv");
  if (strcmp(resolv, "stage0") == 0) {
    copy_with("stage1/rootfs/etc/rkt-resolv.conf", "", "resolv.conf");
  } else if (strcmp(resolv, "host") == 0) {
    copy_with("/etc/resolv.conf", "", "resolv.conf");
  } else if (strcmp(resolv, "none") != 0 && strcmp(resolv, "default") != 0) {
    die("--dns-conf-mode=%s: unknown resolv mode \"%s\"", conf_mode, resolv);
  }
  char *hosts = dns_conf_mode_of(conf_mode, "hosts");
  snprintf(line, sizeof line, "127.0.0.1 %s\n", hostname);
  if (strcmp(hosts, "stage0") == 0) {
    copy_with("stage1/rootfs/etc/rkt-hosts", line, "hosts");
  } else if (strcmp(hosts, "host") == 0) {
    copy_with("/etc/hosts", "", "hosts");
  } else if (strcmp(hosts, "default") == 0) {
    char *fallback;
    if (asprintf(&fallback, "127.0.0.1 localhost localhost.localdomain\n"
                            "::1 localhost localhost.localdomain\n%s", line) < 0) {
      die("out of memory");
    }
    put("hosts-fallback", fallback);
    free(fallback);
  } else {
    die("--dns-conf-mode=%s: unknown hosts mode \"%s\"", conf_mode, hosts);
  }
  free(resolv);
  free(hosts);
}
