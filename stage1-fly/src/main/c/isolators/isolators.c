/*
 * The isolators a supervisor applies in each app's process before it execs the app:
 * the capability bounding set and the effective, permitted, inheritable and ambient sets
 * (the plan's "caps"), os/linux/oom-score-adj and os/linux/no-new-privileges. The memory and CPU
 * limits are cgroups, set up by /init (cgroup.c); the app joins them here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "isolators.h"

/* Capability numbers are the kernel's ABI; the table does not depend on the build host's
 * headers being recent. */
static const char *const cap_names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
    "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
    "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
    "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
    "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define NCAPS (sizeof cap_names / sizeof cap_names[0])

const char *caps_name(int cap) {
  return cap >= 0 && (size_t)cap < NCAPS ? cap_names[cap] : NULL;
}

uint64_t caps_mask(const struct plan_app *app) {
  uint64_t mask = 0;
  for (size_t i = 0; i < app->ncaps; i++) {
    size_t c = 0;
    while (c < NCAPS && strcmp(cap_names[c], app->caps[i]) != 0) {
      c++;
    }
    if (c == NCAPS) {
      die("app \"%s\": unknown capability %s", app->name, app->caps[i]);
    }
    mask |= UINT64_C(1) << c;
  }
  return mask;
}

void isolators_before_setuid(const struct plan_app *app, int restrict_caps) {
  if (app->has_oom_score_adj) {
    char text[16];
    snprintf(text, sizeof text, "%d\n", app->oom_score_adj);
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) < 0) {
      die_errno("set oom_score_adj %d in app \"%s\"", app->oom_score_adj, app->name);
    }
    close(fd);
  }
  if (restrict_caps && app->has_caps) {
    uint64_t keep = caps_mask(app);
    /* Dropping needs CAP_SETPCAP, which setuid to a non-root user would take away. */
    for (int c = 0; c < 64 && prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++) {
      if (!(keep & (UINT64_C(1) << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
        die_errno("drop capability %d from the bounding set of app \"%s\"", c, app->name);
      }
    }
  }
}

void isolators_before_exec(const struct plan_app *app, int restrict_caps) {
  if (restrict_caps && app->has_caps) {
    uint64_t keep = caps_mask(app);
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) != 0) {
      die_errno("capget in app \"%s\"", app->name);
    }
    for (int i = 0; i < 2; i++) {
      uint32_t k = (uint32_t)(keep >> (32 * i));
      data[i].effective &= k;
      data[i].permitted &= k;
      data[i].inheritable &= k;
    }
    if (syscall(SYS_capset, &header, data) != 0) {
      die_errno("capset in app \"%s\"", app->name);
    }
    /* Ambient capabilities would survive exec outside the sets above. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
      die_errno("clear the ambient capabilities of app \"%s\"", app->name);
    }
  }
  if (app->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    die_errno("set no_new_privs in app \"%s\"", app->name);
  }
}
