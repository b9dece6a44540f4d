/*
 * jrkt-overlay: puts a pod's overlayfs mounts in place for a stage1 entrypoint, then execs it.
 * The JVM is multi-threaded and cannot change its mount namespace; this small static program
 * can, and it is what stage0 execs (run, run-prepared) or starts (stop, enter, gc) instead of
 * the entrypoint itself. Argv, environment, cwd and open fds (the pod lock) pass through.
 *
 *   jrkt-overlay mount [--stage1-only] RECORD -- PROGRAM [ARGS...]
 *     In a new mount namespace whose root is a recursive slave of the caller's (host mounts
 *     still propagate in, nothing propagates out), mounts the overlays listed in RECORD (a file
 *     relative to the cwd, the pod directory), all of them or only the first (the stage1's),
 *     and execs PROGRAM. The mounts live exactly as long as the namespace: they go away with the
 *     last process of the pod, whatever way it ends.
 *
 *   jrkt-overlay join PID -- PROGRAM [ARGS...]
 *     Joins the mount namespace of PID (a process of a running pod), where the pod's overlays
 *     are mounted, goes back to the same directory there and execs PROGRAM. Refuses when the
 *     stage1 rootfs is not an overlay in that namespace (PID is not the pod's any more).
 *
 * RECORD holds NUL-terminated strings: "overlay-mounts 1", then per mount its target (relative
 * to the pod directory) and the complete overlayfs option string. stage0 builds and checks
 * both; here they are only passed to mount(2).
 *
 * Every failure exits 254 with one line on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define EXIT_FAILURE_RKT 254
#define RECORD_HEADER "overlay-mounts 1"
#define OVERLAYFS_MAGIC 0x794c7630
#define STAGE1_ROOTFS "stage1/rootfs"

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("jrkt-overlay: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(EXIT_FAILURE_RKT);
}

static void usage(void) __attribute__((noreturn));
static void usage(void) {
  die("usage: jrkt-overlay mount [--stage1-only] RECORD -- PROGRAM [ARGS...] | "
      "jrkt-overlay join PID -- PROGRAM [ARGS...]");
}

static char *read_record(const char *path, size_t *size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    die("read %s: %s", path, strerror(errno));
  }
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (buf == NULL) {
      die("out of memory");
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      die("read %s: %s", path, strerror(errno));
    }
    if (r == 0) {
      break;
    }
    n += (size_t)r;
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  close(fd);
  if (n == 0 || buf[n - 1] != '\0') {
    die("%s: not a record of NUL-terminated fields", path);
  }
  *size = n;
  return buf;
}

static void mount_all(const char *record, int stage1_only) {
  size_t size;
  char *buf = read_record(record, &size);
  const char *p = buf, *end = buf + size;
  if (strcmp(p, RECORD_HEADER) != 0) {
    die("%s: does not start with \"%s\"", record, RECORD_HEADER);
  }
  p += strlen(p) + 1;
  int count = 0;
  while (p < end) {
    const char *target = p;
    p += strlen(p) + 1;
    if (p >= end) {
      die("%s: mount %d: target %s has no options", record, count + 1, target);
    }
    const char *options = p;
    p += strlen(p) + 1;
    if (target[0] == '/' || strstr(target, "..") != NULL) {
      die("%s: mount %d: target %s is not below the pod directory", record, count + 1, target);
    }
    if (mount("overlay", target, "overlay", 0, options) != 0) {
      die("mount overlay on %s (%s): %s", target, options, strerror(errno));
    }
    count++;
    if (stage1_only) {
      break;
    }
  }
  if (count == 0) {
    die("%s: lists no mount", record);
  }
}

static void private_namespace(void) {
  if (unshare(CLONE_NEWNS) != 0) {
    die("unshare the mount namespace: %s", strerror(errno));
  }
  if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) != 0) {
    die("make / a recursive slave mount: %s", strerror(errno));
  }
}

static void join_namespace(const char *pid_arg) {
  char *endp;
  errno = 0;
  long pid = strtol(pid_arg, &endp, 10);
  if (errno != 0 || *endp != '\0' || pid <= 0 || pid > INT_MAX) {
    die("join: \"%s\" is not a process id", pid_arg);
  }
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == NULL) {
    die("getcwd: %s", strerror(errno));
  }
  char ns[64];
  snprintf(ns, sizeof ns, "/proc/%ld/ns/mnt", pid);
  int fd = open(ns, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    die("join: open %s (is the pod running?): %s", ns, strerror(errno));
  }
  if (setns(fd, CLONE_NEWNS) != 0) {
    die("join: the mount namespace of pid %ld: %s", pid, strerror(errno));
  }
  close(fd);
  /* setns moved root and cwd to the namespace's root. */
  if (chdir(cwd) != 0) {
    die("join: pod directory %s in the mount namespace of pid %ld: %s", cwd, pid,
        strerror(errno));
  }
  struct statfs st;
  if (statfs(STAGE1_ROOTFS, &st) != 0 || st.f_type != OVERLAYFS_MAGIC) {
    die("join: pid %ld is not the pod's: no overlay on %s/%s in its mount namespace", pid, cwd,
        STAGE1_ROOTFS);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage();
  }
  int i = 2;
  if (strcmp(argv[1], "mount") == 0) {
    int stage1_only = 0;
    if (i < argc && strcmp(argv[i], "--stage1-only") == 0) {
      stage1_only = 1;
      i++;
    }
    if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
      usage();
    }
    private_namespace();
    mount_all(argv[i], stage1_only);
  } else if (strcmp(argv[1], "join") == 0) {
    if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
      usage();
    }
    join_namespace(argv[i]);
  } else {
    usage();
  }
  char **program = argv + i + 2;
  execv(program[0], program);
  die("exec %s: %s", program[0], strerror(errno));
}
