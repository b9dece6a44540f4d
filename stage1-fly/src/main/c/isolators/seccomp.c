/*
 * The isolators os/linux/seccomp-retain-set and -remove-set: the plan's "seccomp" directive,
 * syscall names already expanded by stage0, becomes a classic BPF filter that the app's process
 * installs right before it execs the app.
 *
 * The filter first checks that the call is x86_64's (anything else, i386 or foreign, kills the
 * process: its numbers mean other calls) and refuses x32 calls (the x32 bit set) as blocked
 * calls; then it compares the number with each listed one. A blocked call kills the process with
 * SIGSYS, or fails with the plan's errno. execve stays allowed whatever the set: the supervisor's
 * own exec of the app is the filter's first call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "isolators.h"
#include "syscall_table.h" /* generated at build time from the kernel headers */

#define NSYSCALLS (sizeof syscall_numbers / sizeof syscall_numbers[0])
#define X32_SYSCALL_BIT 0x40000000u
#define NR_EXECVE 59

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#endif

int seccomp_syscall_number(const char *name) {
  for (size_t i = 0; i < NSYSCALLS; i++) {
    if (strcmp(syscall_numbers[i].name, name) == 0) {
      return syscall_numbers[i].nr;
    }
  }
  return -1;
}

static void put(struct sock_filter *prog, size_t *n, struct sock_filter insn) {
  prog[(*n)++] = insn;
}

size_t seccomp_build_filter(const struct plan_app *app, struct sock_filter **out) {
  /* 8 for arch, x32 and execve, 2 per name, 1 for the end. */
  struct sock_filter *prog = calloc(2 * app->nseccomp + 9, sizeof *prog);
  if (prog == NULL) {
    die("out of memory");
  }
  uint32_t blocked = app->seccomp_errno == 0
      ? SECCOMP_RET_KILL_PROCESS
      : SECCOMP_RET_ERRNO | ((uint32_t)app->seccomp_errno & SECCOMP_RET_DATA);
  uint32_t listed = app->seccomp_retain ? SECCOMP_RET_ALLOW : blocked;
  uint32_t unlisted = app->seccomp_retain ? blocked : SECCOMP_RET_ALLOW;
  size_t n = 0;
  put(prog, &n, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             offsetof(struct seccomp_data, arch)));
  put(prog, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
  put(prog, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  put(prog, &n, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                             offsetof(struct seccomp_data, nr)));
  put(prog, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1));
  put(prog, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, blocked));
  put(prog, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_EXECVE, 0, 1));
  put(prog, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  /* One compare-and-return pair per name: short jumps, however long the list. */
  for (size_t i = 0; i < app->nseccomp; i++) {
    int nr = seccomp_syscall_number(app->seccomp[i]);
    if (nr < 0) {
      die("app \"%s\": seccomp: unknown x86_64 syscall %s", app->name, app->seccomp[i]);
    }
    put(prog, &n, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1));
    put(prog, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, listed));
  }
  put(prog, &n, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, unlisted));
  *out = prog;
  return n;
}

/* Whether CAP_SYS_ADMIN is effective: the kernel then takes a filter without no_new_privs. */
static int has_sys_admin(void) {
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) != 0) {
    return 0;
  }
  return (data[CAP_SYS_ADMIN / 32].effective >> (CAP_SYS_ADMIN % 32)) & 1;
}

void seccomp_install(const struct plan_app *app) {
  if (!app->has_seccomp) {
    return;
  }
  struct sock_filter *filter;
  size_t n = seccomp_build_filter(app, &filter);
  if (n > BPF_MAXINSNS) {
    die("app \"%s\": seccomp: %zu syscalls make a filter longer than the kernel takes", app->name,
        app->nseccomp);
  }
  /* As systemd does: an app that could not install a filter itself gets no_new_privs. */
  if (!has_sys_admin() && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    die_errno("set no_new_privs for the seccomp filter of app \"%s\"", app->name);
  }
  struct sock_fprog prog = {.len = (unsigned short)n, .filter = filter};
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    die_errno("install the seccomp filter of app \"%s\"", app->name);
  }
  free(filter);
  debugf("supervisor: app \"%s\": seccomp filter of %zu instructions installed", app->name, n);
}
