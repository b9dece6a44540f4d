/*
 * stage1-fly: a stage1 that runs one app chrooted in the host's namespaces, except for a
 * private mount namespace that keeps the pod's mounts out of the host.
 *
 * One static binary; the entrypoints run, enter, stop and gc are hard links to it and it picks
 * its role from the name it was started under.
 */
#ifndef FLY_H
#define FLY_H

#include <stddef.h>
#include <sys/types.h>

/* Every failure of a stage1 entrypoint exits with this code (rkt's). */
#define FLY_EXIT_FAILURE 254

/* Paths inside the pod directory (the cwd of every entrypoint). */
#define FLY_PLAN_PATH "stage1/rootfs/rkt/plan"
#define FLY_ENV_DIR "stage1/rootfs/rkt/env"
#define FLY_STATUS_DIR "stage1/rootfs/rkt/status"

/* ---- util.c ---- */

extern int fly_debug_enabled;
/* The prefix of every message; stage1 flavors that share this code set their own. */
extern const char *fly_program_name;

/* Logs "<fly_program_name>: ..." to stderr when --debug was given. */
void debugf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "<fly_program_name>: ..." to stderr and exits FLY_EXIT_FAILURE. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* As die(), with ": <strerror(errno)>" appended. */
void die_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Reads a whole file into a NUL-terminated malloc'd buffer; *size gets the length. NULL and
 * errno on failure. */
char *read_file(const char *path, size_t *size);
/* Writes content to path through a temporary file in the same directory and rename(2), so a
 * reader sees either the old file or the whole new one. -1 and errno on failure. */
int write_file_atomic(const char *path, const char *content);
/* The value of key ("resolv" or "hosts") in a --dns-conf-mode value "resolv=R,hosts=H", malloc'd;
 * "default" when absent. */
char *dns_conf_mode_of(const char *conf_mode, const char *key);
/* Writes the file at from, newline-terminated, plus extra to the path to (atomically); dies
 * naming from when it cannot be read. */
void copy_file_with(const char *from, const char *extra, const char *to);
/* Parses a non-negative decimal that fits in an int; -1 if it is not one. */
long parse_decimal(const char *s, long max);
/* Reads a file holding one decimal number (pid, pgid); -1 and errno when missing or bad. */
long read_decimal_file(const char *path);
/* Closes every fd above 2 but keep (-1 for none). */
void close_fds_except(int keep);
/* Matches "--name=value" or "--name value"; sets *value and advances *i past what it used. */
int flag_value(int argc, char **argv, int *i, const char *name, const char **value);
/* Matches "--name", "--name=true" (1) and "--name=false" (0 in *on); Go flag syntax. */
int flag_bool(const char *arg, const char *name, int *on);

/* ---- plan.c ---- */

struct plan_mount {
  const char *source; /* absolute host path, or "tmpfs" */
  const char *target; /* absolute path inside the app rootfs */
  int bind;           /* 1 bind, 2 rbind, 0 tmpfs */
  int readonly;
};

struct plan_app {
  const char *name;
  const char *root; /* relative to the pod directory */
  uid_t uid;
  gid_t gid;
  size_t ngroups;
  gid_t *groups;
  const char *cwd;
  size_t nenv;
  char **env;  /* NULL-terminated */
  size_t nexec;
  char **exec; /* NULL-terminated */
  size_t nmounts;
  struct plan_mount *mounts;
  int readonly_rootfs;
  /* Isolator directives; only a stage1 that sets plan_accepts_isolators reads them. */
  int no_new_privileges;
  int has_oom_score_adj;
  int oom_score_adj;
  int has_caps; /* without a "caps" directive the capabilities are left as they are */
  size_t ncaps;
  char **caps; /* NULL-terminated capability names (CAP_...) */
  long memory_limit;     /* bytes, 0 for none */
  long cpu_quota_milli;  /* milli-cores, 0 for none */
  int has_seccomp;       /* without a "seccomp" directive no filter is installed */
  int seccomp_retain;    /* 1: only the names are allowed; 0: the names are refused */
  int seccomp_errno;     /* what a refused syscall returns; 0 kills the app with SIGSYS */
  size_t nseccomp;
  char **seccomp;        /* NULL-terminated syscall names */
};

struct plan {
  size_t napps;
  struct plan_app *apps;
};

/* Set by a stage1 that enforces the isolator directives (no-new-privileges, oom-score-adj, caps,
 * memory-limit, cpu-quota, seccomp); without it they are unknown directives, refused. */
extern int plan_accepts_isolators;

/* Reads and checks the run plan; dies with a message naming the plan and the entry on error. */
void plan_load(const char *path, struct plan *plan);

/* ---- mounts.c ---- */

/* Enters a private mount namespace whose mounts do not propagate back to the host. */
void mounts_private_namespace(void);
/* Makes the app rootfs a mount point and mounts /dev, /proc, /sys, /tmp, the plan's mounts and,
 * if asked, a read-only root. Returns an O_PATH fd of the finished root. */
int mounts_prepare_app(const struct plan_app *app);

/* ---- entry.c: what the entrypoints of both stage1 flavors share ---- */

struct entrypoint {
  const char *name;
  int (*main)(int argc, char **argv);
};
/* Runs the entrypoint named by argv[0]'s last component, or by argv[1] when started as program;
 * dies listing names when there is none such. */
int dispatch_entrypoint(const char *program, const struct entrypoint *entrypoints, size_t n,
                        const char *names, int argc, char **argv);
/* An entrypoint's own flags: returns 1 when argv[*i] is one (advancing *i past a separate
 * value, as flag_value does). */
typedef int (*entry_flag_fn)(int argc, char **argv, int *i, void *ctx);
/* Parses "[FLAGS] UUID": --debug, then more_flags (may be NULL); dies, with entrypoint as the
 * message prefix, on a second argument, an unknown flag or a missing UUID. Returns the UUID. */
const char *parse_uuid_args(const char *entrypoint, int argc, char **argv,
                            entry_flag_fn more_flags, void *ctx);
/* The flags stage0 passes to the run entrypoint. */
struct run_flags {
  const char *uuid;
  const char *net;      /* NULL when not given */
  const char *hostname; /* NULL when not given */
  const char *ipc;      /* NULL when not given */
  const char *dns_conf_mode; /* "resolv=R,hosts=H"; NULL when not given (both default) */
  int interactive;
  int disable_caps; /* --disable-capabilities-restriction */
  int disable_seccomp; /* --disable-seccomp (stage1-fly ignores it) */
};
/* Parses the run flags (--debug included); --disable-paths, --mutable,
 * --private-users, --mds-token, --local-config and --dns-conf-mode are accepted and ignored
 * (stage0 refuses --private-users and --mds-register). Dies on a bad flag or a missing UUID. */
void parse_run_flags(int argc, char **argv, struct run_flags *flags);
/* The pod lock fd stage0 hands over in RKT_LOCK_FD; dies if it is not an open fd. */
int lock_fd_from_env(void);
/* run: points the pod directory's "flavor" symlink at flavor (atomically). */
void write_flavor_link(const char *flavor);
/* In an app's process: chroots into rootfd (closing it), changes to the app's cwd and takes its
 * groups, gid and uid; dies naming the app. */
void app_become(const struct plan_app *app, int rootfd);
/* waitpid(child, status, 0), retried when a signal interrupts it. */
pid_t wait_child(pid_t child, int *status);
/* A wait status as an exit code: the code, 128+N when killed by signal N, else 254. */
int exit_code_of(int status);
/* stop: parses "[--force] [--debug] UUID"; returns the UUID. */
const char *stop_parse_args(int argc, char **argv, int *force);
/* stop: the pid in the pod directory's file (pid, ppid); dies when it is missing or bad. */
long stop_read_pid(const char *uuid, const char *file);

/* enter: parses "--pid=PID --appname=APP [--debug] [--] CMD [ARGS...]" and checks PID and APP;
 * returns the index of CMD in argv. */
int enter_parse_args(int argc, char **argv, long *pid, const char **app);
/* enter: the app's environment (FLY_ENV_DIR/<app>), read before any namespace changes. */
char **enter_load_env(const char *app);
struct enter_namespace {
  const char *name;  /* in /proc/PID/ns */
  int type;          /* CLONE_NEW... */
  const char *label; /* in messages */
};
/* enter: opens the namespaces of pid and its root, then joins them in the given order; returns
 * an O_PATH fd of the root of pid. */
int enter_join_namespaces(long pid, const struct enter_namespace *namespaces, size_t n);
/* enter: execs cmd (looked up in env's PATH) with env; dies naming the app. */
void enter_exec(char **cmd, char **env, const char *app) __attribute__((noreturn));

/* ---- the entrypoints ---- */

/* journal.c: journald's stream socket, and whether the pod runs in a unit that logs to it. */
#define JOURNAL_STDOUT_SOCKET "/run/systemd/journal/stdout"
int journal_wanted(void);
/* The service unit this process runs in (malloc'd), from /proc/self/cgroup; NULL if none. */
char *journal_own_unit(void);
/* Connects the calling process's stdout and stderr to journald at socket_path with app as
 * SYSLOG_IDENTIFIER and unit (may be NULL) as the unit; returns 1, or 0 (output unchanged)
 * when that is not possible. */
int journal_attach_app(const char *socket_path, const char *app, const char *unit);
/* A stream socket to journald at socket_path whose header names app and unit (as above), or -1
 * (with a debug line) when it cannot be had. */
int journal_connect(const char *socket_path, const char *app, const char *unit);

int run_main(int argc, char **argv);
int enter_main(int argc, char **argv);
int stop_main(int argc, char **argv);
int gc_main(int argc, char **argv);

#endif
