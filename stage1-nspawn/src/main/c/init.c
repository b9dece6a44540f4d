/*
 * init (the run entrypoint): checks the run plan, gives the pod a cgroup of its own, writes
 * "ppid" (its own pid) and execs systemd-nspawn on the stage1 rootfs with /supervisor as the
 * container's PID 1. systemd-nspawn keeps the pod lock fd open (it marks inherited fds
 * close-on-exec but holds them itself), so the pod stays locked until it exits; its single
 * child is the supervisor, the process "enter" joins.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "nspawn.h"

/* Checks the UUID as well as the flags: it names the pod's cgroup and machine. */
static void parse_init_flags(int argc, char **argv, struct run_flags *f) {
  parse_run_flags(argc, argv, f);
  if (strlen(f->uuid) > 64 || strchr(f->uuid, '/') != NULL) {
    die("run: \"%s\" is not a pod UUID", f->uuid);
  }
}

/* The pod lock fd; systemd-nspawn must inherit it: it holds the lock for the pod's lifetime. */
static int inheritable_lock_fd(void) {
  int fd = lock_fd_from_env();
  if (fcntl(fd, F_SETFD, 0) != 0) {
    die_errno("run: keep RKT_LOCK_FD=%ld open across exec", (long)fd);
  }
  return fd;
}

/* systemd-nspawn from the host's PATH (the one stage0 ran with). */
static char *find_nspawn(void) {
  const char *path = getenv("PATH");
  if (path == NULL || path[0] == '\0') {
    path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  }
  char *copy = strdup(path);
  if (copy == NULL) {
    die("out of memory");
  }
  for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir != NULL;
       dir = strtok_r(NULL, ":", &save)) {
    char candidate[PATH_MAX];
    snprintf(candidate, sizeof candidate, "%s/systemd-nspawn", dir);
    if (dir[0] == '/' && access(candidate, X_OK) == 0) {
      free(copy);
      return strdup(candidate);
    }
  }
  die("run: systemd-nspawn is not on PATH (%s); install systemd-container", path);
}

/* nspawn's --bind syntax splits at ':' and takes backslash escapes. */
static char *escape_bind_path(const char *path) {
  char *out = malloc(strlen(path) * 2 + 1), *o = out;
  if (out == NULL) {
    die("out of memory");
  }
  for (const char *p = path; *p != '\0'; p++) {
    if (*p == ':' || *p == '\\') {
      *o++ = '\\';
    }
    *o++ = *p;
  }
  *o = '\0';
  return out;
}

struct argv_builder {
  char **args;
  size_t n, cap;
};

static void add(struct argv_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct argv_builder *b, const char *fmt, ...) {
  if (b->n + 2 > b->cap) {
    b->cap = b->cap == 0 ? 64 : b->cap * 2;
    b->args = realloc(b->args, b->cap * sizeof *b->args);
    if (b->args == NULL) {
      die("out of memory");
    }
  }
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&b->args[b->n], fmt, ap) < 0) {
    die("out of memory");
  }
  va_end(ap);
  b->args[++b->n] = NULL;
}

/* The container's capabilities and the apps' cgroups. The supervisor narrows each app's
 * capabilities to its plan's "caps"; nspawn's default set would keep out some an app may
 * retain (CAP_NET_ADMIN, CAP_SYS_MODULE...), so the container gets those the apps ask for on
 * top of it, or all with --disable-capabilities-restriction. Memory and CPU limits are cgroups made here on the
 * host side and bound into the container, where each app's process joins them. */
static void add_isolators(struct argv_builder *b, const struct plan *plan,
                          const struct run_flags *flags) {
  uint64_t wanted = 0;
  int every_app_filtered = !flags->disable_seccomp;
  for (size_t a = 0; a < plan->napps; a++) {
    const struct plan_app *app = &plan->apps[a];
    wanted |= app->has_caps ? caps_mask(app) : 0;
    if (app->has_seccomp && !flags->disable_seccomp) {
      /* Unknown syscall names fail the pod here, before any app starts. */
      struct sock_filter *filter;
      seccomp_build_filter(app, &filter);
      free(filter);
    }
    every_app_filtered &= app->has_seccomp;
  }
  /* nspawn's own filter is redundant when the supervisor gives every app a filter of its own
   * (rkt's default one blocks more), and libseccomp's compilation of it costs nspawn ~40 ms of
   * CPU, half its start. An app without a filter keeps nspawn's as its only one. */
  if (every_app_filtered) {
    debugf("run: every app has its own seccomp filter: nspawn's is left out");
    setenv("SYSTEMD_SECCOMP", "0", 1);
  }
  /* --capability adds to nspawn's default set, which the supervisor itself needs (mounts,
   * chroot, setuid, the bounding set). */
  if (flags->disable_caps) {
    add(b, "--capability=all");
  } else {
    for (int c = 0; caps_name(c) != NULL; c++) {
      if (wanted & (UINT64_C(1) << c)) {
        add(b, "--capability=%s", caps_name(c));
      }
    }
  }
  for (size_t a = 0; a < plan->napps; a++) {
    char *memory, *cpu;
    cgroup_create_app_limits(flags->uuid, &plan->apps[a], &memory, &cpu);
    if (memory != NULL) {
      add(b, "--bind=%s:%s/%zu/memory", escape_bind_path(memory), NSPAWN_CGROUPS_DIR, a);
    }
    if (cpu != NULL) {
      add(b, "--bind=%s:%s/%zu/cpu", escape_bind_path(cpu), NSPAWN_CGROUPS_DIR, a);
    }
  }
}

/* sd_booted()'s test: systemd as PID 1 makes this directory early at boot. */
static int systemd_is_pid1(void) {
  return access("/run/systemd/system", F_OK) == 0;
}

/* systemd-machined runs (it makes /run/systemd/machines when it starts) or the system bus can
 * start it on demand (systemd-container installs its D-Bus activation file; on a systemd host
 * machined is usually not running until something registers). */
static int machined_available(void) {
  return access("/run/systemd/machines", F_OK) == 0 ||
         access("/usr/share/dbus-1/system-services/org.freedesktop.machine1.service", F_OK) == 0;
}

int nspawn_init_main(int argc, char **argv) {
  struct run_flags flags;
  parse_init_flags(argc, argv, &flags);
  int lock_fd = inheritable_lock_fd();
  close_fds_except(lock_fd);
  debugf("run: pod %s, lock fd %d", flags.uuid, lock_fd);

  struct plan plan;
  plan_load(FLY_PLAN_PATH, &plan);
  if (plan.napps == 0) {
    die("plan %s: no app to run", FLY_PLAN_PATH);
  }
  size_t prefix = strlen(NSPAWN_STAGE1_ROOTFS "/");
  for (size_t a = 0; a < plan.napps; a++) {
    if (strncmp(plan.apps[a].root, NSPAWN_STAGE1_ROOTFS "/", prefix) != 0) {
      die("plan %s: app \"%s\": root %s is not inside %s", FLY_PLAN_PATH, plan.apps[a].name,
          plan.apps[a].root, NSPAWN_STAGE1_ROOTFS);
    }
  }
  char *nspawn = find_nspawn();
  char pod_dir[PATH_MAX];
  if (getcwd(pod_dir, sizeof pod_dir) == NULL) {
    die_errno("run: getcwd");
  }

  write_flavor_link("coreos");
  /* Set by the supervisor once the apps run. */
  if (unlink(NSPAWN_STAGE1_ROOTFS "/rkt/supervisor-status") != 0 && errno != ENOENT) {
    die_errno("remove %s/rkt/supervisor-status", NSPAWN_STAGE1_ROOTFS);
  }
  if (mkdir(FLY_STATUS_DIR, 0755) != 0 && errno != EEXIST) {
    die_errno("create %s", FLY_STATUS_DIR);
  }

  struct argv_builder b = {0};
  add(&b, "%s", nspawn);
  add(&b, "-D");
  add(&b, "%s/%s", pod_dir, NSPAWN_STAGE1_ROOTFS);
  add(&b, "--machine=rkt-%s", flags.uuid);
  int pid1 = systemd_is_pid1();
  if (pid1 && machined_available()) {
    debugf("run: systemd is PID 1 and systemd-machined is available: registering the pod as"
           " machine rkt-%s", flags.uuid);
    add(&b, "--register=yes");
    /* In a service (run --unit, the kubelet's k8s_UUID.service): the machine is that unit;
     * without --keep-unit, machined would make a scope of its own for the container. */
    int in_unit = getenv("INVOCATION_ID") != NULL;
    if (in_unit) {
      debugf("run: in a systemd unit: --keep-unit");
      add(&b, "--keep-unit");
    }
    cgroup_record_machine(flags.uuid, in_unit);
  } else {
    debugf("run: %s: --register=no --keep-unit, in a cgroup of our own",
           pid1 ? "systemd is PID 1 but systemd-machined is not available"
                : "systemd is not PID 1");
    add(&b, "--register=no");
    add(&b, "--keep-unit");
    cgroup_enter_pod(flags.uuid);
  }
  if (!fly_debug_enabled) {
    add(&b, "--quiet");
  }
  /* The supervisor handles SIGTERM (stop) by stopping the apps and recording their exits. */
  add(&b, "--kill-signal=SIGTERM");
  /* The apps have their own roots; nothing of the stage1's /etc is theirs. */
  add(&b, "--resolv-conf=off");
  add(&b, "--timezone=off");
  add(&b, "--link-journal=no");
  /* On a terminal the apps get a pty from nspawn; otherwise our stdio as it is. */
  int terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  add(&b, "--console=%s", terminal ? "interactive" : "pipe");
  if (flags.hostname != NULL && flags.hostname[0] != '\0') {
    add(&b, "--hostname=%s", flags.hostname);
  }
  const char *net = flags.net != NULL ? flags.net : "default";
  if (strcmp(net, "none") == 0) {
    add(&b, "--private-network");
  } else if (strcmp(net, "host") != 0) {
    /* stage0 has set the networks up in a netns of the pod's own and recorded its path. */
    size_t size;
    char *netns = read_file("netns", &size);
    if (netns == NULL) {
      die_errno("run: --net=%s: no network namespace recorded in the pod's netns file", net);
    }
    netns[strcspn(netns, "\n")] = '\0';
    if (netns[0] != '/') {
      die("run: the pod's netns file holds \"%s\", not an absolute path", netns);
    }
    debugf("run: --net=%s: joining %s", net, netns);
    add(&b, "--network-namespace-path=%s", netns);
  }
  char *dns_binds[2];
  size_t ndns = dns_prepare(flags.uuid, flags.hostname, flags.dns_conf_mode, dns_binds);
  for (size_t i = 0; i < ndns; i++) {
    add(&b, "%s", dns_binds[i]);
  }
  if (flags.ipc != NULL && strcmp(flags.ipc, "parent") == 0) {
    setenv("SYSTEMD_NSPAWN_SHARE_NS_IPC", "true", 1);
  }
  if (!fly_debug_enabled) {
    /* When /run is not a tmpfs, nspawn reports at exit, as an error, that it would not
     * remove its state directory there (gc does); only critical messages then. */
    struct statfs run;
    int run_on_tmpfs = statfs("/run", &run) == 0 && run.f_type == TMPFS_MAGIC;
    setenv("SYSTEMD_LOG_LEVEL", run_on_tmpfs ? "err" : "crit", 1);
  }
  setenv("SYSTEMD_NSPAWN_CONTAINER_SERVICE", "rkt", 1);
  /* On a cgroup2-only host the container gets cgroup2 only: without this, nspawn finds no
   * systemd in the stage1 tree, gives the container a legacy name=systemd hierarchy and makes
   * cgroups in the kernel's v1 hierarchy, which a cgroup2 host does not clean up. */
  struct statfs cg;
  if (statfs("/sys/fs/cgroup", &cg) == 0 && cg.f_type == CGROUP2_SUPER_MAGIC) {
    setenv("SYSTEMD_NSPAWN_UNIFIED_HIERARCHY", "1", 1);
  }

  /* Bind volumes: staged under /rkt/volumes by nspawn, mounted into the apps by the supervisor
   * (which resolves targets inside each app root and makes them read-only as the plan says). */
  for (size_t a = 0; a < plan.napps; a++) {
    const struct plan_app *app = &plan.apps[a];
    for (size_t m = 0; m < app->nmounts; m++) {
      const struct plan_mount *mount = &app->mounts[m];
      if (!mount->bind) {
        continue;
      }
      struct stat st;
      if (stat(mount->source, &st) != 0) {
        die_errno("mount %s on %s in app \"%s\": source", mount->source, mount->target,
                  app->name);
      }
      add(&b, "--bind%s=%s:%s/%zu/%zu", mount->readonly ? "-ro" : "",
          escape_bind_path(mount->source), NSPAWN_VOLUMES_DIR, a, m);
    }
  }
  add_isolators(&b, &plan, &flags);
  /* In a unit logging to the journal: journald's socket directory goes into the container,
   * where the supervisor connects each app to it (journal.c). */
  int journal = journal_wanted();
  if (journal) {
    add(&b, "--bind=/run/systemd/journal:%s", NSPAWN_JOURNAL_DIR);
  }
  add(&b, "--");
  add(&b, "/supervisor");
  if (journal) {
    add(&b, "--journal-socket=%s/stdout", NSPAWN_JOURNAL_DIR);
    char *unit = journal_own_unit(); /* the container's cgroup namespace hides it */
    if (unit != NULL) {
      add(&b, "--journal-unit=%s", unit);
    }
  }
  if (fly_debug_enabled) {
    add(&b, "--debug");
  }
  if (flags.disable_caps) {
    add(&b, "--disable-capabilities-restriction");
  }
  if (flags.disable_seccomp) {
    add(&b, "--disable-seccomp");
  }

  char pid[32];
  snprintf(pid, sizeof pid, "%d", (int)getpid());
  if (write_file_atomic("ppid", pid) != 0) {
    die_errno("write ppid");
  }
  if (fly_debug_enabled) {
    for (size_t i = 0; i < b.n; i++) {
      debugf("run: exec argv[%zu] %s", i, b.args[i]);
    }
  }
  execv(nspawn, b.args);
  die_errno("run: exec %s", nspawn);
}
