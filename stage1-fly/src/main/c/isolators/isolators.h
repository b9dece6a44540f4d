/*
 * The isolators a supervisor applies in an app's process before it execs the app, shared by
 * stage1-nspawn's supervisor and stage1-kvm's guest init: the capability sets, no_new_privs,
 * oom_score_adj (isolators.c) and the seccomp filter (seccomp.c, which needs the generated
 * syscall_table.h: gen-syscall-table.sh). They live in their own directory: stage1-fly itself does not
 * compile them.
 */
#ifndef ISOLATORS_H
#define ISOLATORS_H

#include <stddef.h>
#include <stdint.h>

#include "fly.h"

/* ---- isolators.c ---- */

/* The plan's "caps" of the app as a bit mask; dies on an unknown name. */
uint64_t caps_mask(const struct plan_app *app);
const char *caps_name(int cap);
/* In the app's process, as root: oom_score_adj and the capability bounding set. */
void isolators_before_setuid(const struct plan_app *app, int restrict_caps);
/* After setuid: effective/permitted/inheritable/ambient capabilities, no_new_privs. */
void isolators_before_exec(const struct plan_app *app, int restrict_caps);

/* ---- seccomp.c ---- */

struct sock_filter;
/* The x86_64 number of a syscall name, -1 for none. */
int seccomp_syscall_number(const char *name);
/* The BPF program of the app's "seccomp" directive (malloc'd into *out); returns its length.
 * Dies on an unknown syscall name. */
size_t seccomp_build_filter(const struct plan_app *app, struct sock_filter **out);
/* In the app's process, last before exec: installs the filter (with no_new_privs unless
 * CAP_SYS_ADMIN is effective); nothing when the plan has no "seccomp" for the app. */
void seccomp_install(const struct plan_app *app);

#endif
