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
};

struct plan {
  size_t napps;
  struct plan_app *apps;
};

/* Set by a stage1 that enforces the isolator directives (no-new-privileges, oom-score-adj, caps,
 * memory-limit, cpu-quota); without it they are unknown directives, refused. */
extern int plan_accepts_isolators;

/* Reads and checks the run plan; dies with a message naming the plan and the entry on error. */
void plan_load(const char *path, struct plan *plan);

/* ---- mounts.c ---- */

/* Enters a private mount namespace whose mounts do not propagate back to the host. */
void mounts_private_namespace(void);
/* Makes the app rootfs a mount point and mounts /dev, /proc, /sys, /tmp, the plan's mounts and,
 * if asked, a read-only root. Returns an O_PATH fd of the finished root. */
int mounts_prepare_app(const struct plan_app *app);

/* ---- the entrypoints ---- */

int run_main(int argc, char **argv);
int enter_main(int argc, char **argv);
int stop_main(int argc, char **argv);
int gc_main(int argc, char **argv);

#endif
