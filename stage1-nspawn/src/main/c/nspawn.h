/*
 * stage1-nspawn (the coreos flavor, image coreos.com/rkt/stage1-coreos): the pod runs in a
 * systemd-nspawn container whose PID 1 is our own supervisor instead of a booted systemd.
 *
 * One static binary, hard-linked as /init, /supervisor, /enter, /stop and /gc; it picks its role
 * from the name it was started under. The run plan parser, the safe mount code and the helpers
 * are stage1-fly's (fly.h), compiled into this binary too.
 */
#ifndef NSPAWN_H
#define NSPAWN_H

#include "fly.h"

/* The pod directory's stage1 rootfs, and what it is inside the container. */
#define NSPAWN_STAGE1_ROOTFS "stage1/rootfs"
/* Where /init makes each bind volume's source visible inside the container: VOLUMES/<app index>/
 * <mount index>. The supervisor binds it from there onto the target in the app. */
#define NSPAWN_VOLUMES_DIR "/rkt/volumes"
/* The run plan as the supervisor sees it. */
#define NSPAWN_PLAN_IN_CONTAINER "/rkt/plan"
#define NSPAWN_STATUS_IN_CONTAINER "/rkt/status"

/* ---- cgroup.c ---- */

/* Creates the pod's cgroup rkt-<uuid> below our own in the hierarchies systemd-nspawn uses, moves
 * this process into it and records it in the pod directory's "subcgroup". */
void cgroup_enter_pod(const char *uuid);
/* Records in "subcgroup" the cgroup systemd gives a pod registered with machined: the unit's
 * own cgroup when in_unit (--keep-unit), else machined's scope
 * machine.slice/machine-rkt\x2d<uuid>.scope. Nothing is created: gc leaves it to systemd. */
void cgroup_record_machine(const char *uuid, int in_unit);
/* Removes what cgroup_enter_pod created (and systemd-nspawn's children of it), empty cgroups
 * only; returns 0, or -1 after printing why. */
int cgroup_remove_pod(const char *uuid);

/* Creates the app's memory and CPU cgroups (v1: <hierarchy>/<own cgroup>/rkt-<uuid>/app-<name>)
 * for the limits in its plan, recording each path in the pod directory's "app-cgroups" before
 * creating it, and sets the limits. *memory_dir and *cpu_dir get the paths, or NULL when the app
 * has no such limit. */
void cgroup_create_app_limits(const char *uuid, const struct plan_app *app, char **memory_dir,
                              char **cpu_dir);
/* rmdir of exactly the cgroups recorded in "app-cgroups" (deepest first); 0, or -1 after
 * printing why. */
int cgroup_remove_app_limits(const char *uuid);

/* Where /init binds an app's cgroups into the container: CGROUPS/<app index>/{memory,cpu}. */
#define NSPAWN_CGROUPS_DIR "/rkt/cgroups"
/* Where journald's socket directory is bound in the container when the pod runs in a unit. */
#define NSPAWN_JOURNAL_DIR "/rkt/journal"

/* hostname, hosts, hosts-fallback and resolv.conf for the apps (see dns.c). */
#define NSPAWN_DNS_IN_CONTAINER "/rkt/dns"
/* /init: writes the stage1 rootfs's rkt/dns/ files for the pod's hostname (NULL: rkt-<uuid>)
 * and --dns-conf-mode (NULL: defaults); fills binds with nspawn --bind-ro arguments for the
 * host's files and returns their count. Dies on a bad mode or a missing stage0 file. */
size_t dns_prepare(const char *uuid, const char *hostname, const char *conf_mode,
                   char *binds[2]);
/* supervisor: the read-only binds of /rkt/dns files over the app's /etc files (hostname
 * always, resolv.conf and hosts when present, hosts-fallback when the app has no /etc/hosts). */
size_t dns_app_mounts(const char *app_root, struct plan_mount out[3]);

/* The isolators (capabilities, no_new_privs, oom_score_adj, seccomp) are stage1-fly's shared
 * isolators.c and seccomp.c, also compiled into stage1-kvm's guest. */
#include "isolators/isolators.h"

/* ---- the entrypoints ---- */

int nspawn_init_main(int argc, char **argv);
int nspawn_supervisor_main(int argc, char **argv);
int nspawn_enter_main(int argc, char **argv);
int nspawn_stop_main(int argc, char **argv);
int nspawn_gc_main(int argc, char **argv);

#endif
