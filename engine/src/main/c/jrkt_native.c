/*
 * libjrkt: the system calls stage0 needs and the JDK does not offer (see io.jrkt.sys.Native).
 *
 * Every failure throws io.jrkt.sys.NativeException("<call> <what>: <strerror>", errno).
 */
#define _GNU_SOURCE
#include <jni.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define EXCEPTION_CLASS "io/jrkt/sys/NativeException"

/* Throws NativeException("<what>: <strerror(err)>", err). what is printf-formatted. */
static void throw_errno(JNIEnv *env, int err, const char *fmt, ...) {
  char what[1024];
  char message[1280];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));

  jclass cls = (*env)->FindClass(env, EXCEPTION_CLASS);
  if (cls == NULL) {
    return; /* NoClassDefFoundError is pending */
  }
  jmethodID ctor = (*env)->GetMethodID(env, cls, "<init>", "(Ljava/lang/String;I)V");
  if (ctor == NULL) {
    return;
  }
  jstring jmessage = (*env)->NewStringUTF(env, message);
  if (jmessage == NULL) {
    return;
  }
  jobject exception = (*env)->NewObject(env, cls, ctor, jmessage, (jint)err);
  if (exception != NULL) {
    (*env)->Throw(env, (jthrowable)exception);
  }
}

static void throw_illegal_argument(JNIEnv *env, const char *message) {
  jclass cls = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
  if (cls != NULL) {
    (*env)->ThrowNew(env, cls, message);
  }
}

/* The path an fd refers to, for messages; "fd N" when it cannot be told. */
static void describe_fd(int fd, char *buf, size_t size) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, buf, size - 1);
  if (n <= 0) {
    snprintf(buf, size, "fd %d", fd);
  } else {
    buf[n] = '\0';
  }
}

JNIEXPORT jint JNICALL Java_io_jrkt_sys_Native_openDirectory(JNIEnv *env, jclass cls,
                                                             jstring jpath) {
  (void)cls;
  if (jpath == NULL) {
    throw_illegal_argument(env, "openDirectory: path is null");
    return -1;
  }
  const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
  if (path == NULL) {
    return -1;
  }
  int fd;
  do {
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    throw_errno(env, errno, "open %s", path);
  }
  (*env)->ReleaseStringUTFChars(env, jpath, path);
  return fd;
}

JNIEXPORT jboolean JNICALL Java_io_jrkt_sys_Native_flock(JNIEnv *env, jclass cls, jint fd,
                                                         jint op, jboolean wait) {
  (void)cls;
  if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) {
    throw_illegal_argument(env, "flock: op must be LOCK_SH, LOCK_EX or LOCK_UN");
    return JNI_FALSE;
  }
  int how = wait ? op : op | LOCK_NB;
  int rc;
  do {
    rc = flock(fd, how);
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) {
    return JNI_TRUE;
  }
  if (errno == EWOULDBLOCK && !wait) {
    return JNI_FALSE;
  }
  int err = errno;
  char what[512];
  describe_fd(fd, what, sizeof what);
  throw_errno(env, err, "flock %s", what);
  return JNI_FALSE;
}

JNIEXPORT void JNICALL Java_io_jrkt_sys_Native_close(JNIEnv *env, jclass cls, jint fd) {
  (void)env;
  (void)cls;
  /* No retry on EINTR: on Linux the fd is released either way. */
  close(fd);
}

JNIEXPORT void JNICALL Java_io_jrkt_sys_Native_umount(JNIEnv *env, jclass cls, jstring jtarget,
                                                      jint flags) {
  (void)cls;
  if (jtarget == NULL) {
    throw_illegal_argument(env, "umount: target is null");
    return;
  }
  const char *target = (*env)->GetStringUTFChars(env, jtarget, NULL);
  if (target == NULL) {
    return;
  }
  if (umount2(target, flags) != 0) {
    throw_errno(env, errno, "umount %s", target);
  }
  (*env)->ReleaseStringUTFChars(env, jtarget, target);
}

JNIEXPORT jint JNICALL Java_io_jrkt_sys_Native_kill(JNIEnv *env, jclass cls, jint pid, jint sig) {
  (void)env;
  (void)cls;
  return kill(pid, sig) == 0 ? 0 : errno;
}

JNIEXPORT jlong JNICALL Java_io_jrkt_sys_Native_statfsType(JNIEnv *env, jclass cls,
                                                           jstring jpath) {
  (void)cls;
  if (jpath == NULL) {
    throw_illegal_argument(env, "statfs: path is null");
    return 0;
  }
  const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
  if (path == NULL) {
    return 0;
  }
  struct statfs st;
  jlong type = 0;
  if (statfs(path, &st) != 0) {
    throw_errno(env, errno, "statfs %s", path);
  } else {
    type = (jlong)(unsigned long)st.f_type;
  }
  (*env)->ReleaseStringUTFChars(env, jpath, path);
  return type;
}

JNIEXPORT jint JNICALL Java_io_jrkt_sys_Native_geteuid(JNIEnv *env, jclass cls) {
  (void)env;
  (void)cls;
  return (jint)geteuid();
}

/* ---- network namespaces ---------------------------------------------------------------- */

/*
 * Makes dir (e.g. /run/netns) a shared mount point, as `ip netns add` does, so that unmounting
 * a netns file there also unmounts its copies in mount namespaces made later (pods', the
 * overlay helper's), and the namespace is freed. 0, or the errno with *what set.
 */
static int make_shared_mount_point(const char *dir, const char **what) {
  if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) == 0) {
    return 0;
  }
  if (errno != EINVAL) {
    *what = "make-shared";
    return errno;
  }
  /* Not a mount point yet: bind it onto itself first. */
  if (mount(dir, dir, "none", MS_BIND | MS_REC, NULL) != 0) {
    *what = "bind onto itself";
    return errno;
  }
  if (mount("", dir, "none", MS_SHARED | MS_REC, NULL) != 0) {
    *what = "make-shared";
    return errno;
  }
  return 0;
}

/* Sets IFF_UP on the loopback of the calling thread's network namespace. 0 or the errno. */
static int loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    return errno;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  int err = 0;
  if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
    err = errno;
  } else {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
      err = errno;
    }
  }
  close(s);
  return err;
}

/*
 * A new network namespace with its loopback up, bind-mounted on the existing file path inside
 * dir (which becomes a shared mount point). unshare(CLONE_NEWNET) moves only the calling thread,
 * which a multi-threaded process may do; the thread returns to its own namespace before this
 * returns. A failure before the mount leaves nothing behind: the new namespace has no other
 * reference and goes with the setns back.
 */
JNIEXPORT void JNICALL Java_io_jrkt_sys_Native_createNetns(JNIEnv *env, jclass cls, jstring jdir,
                                                           jstring jpath) {
  (void)cls;
  if (jdir == NULL || jpath == NULL) {
    throw_illegal_argument(env, "createNetns: dir or path is null");
    return;
  }
  const char *dir = (*env)->GetStringUTFChars(env, jdir, NULL);
  if (dir == NULL) {
    return;
  }
  const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
  if (path == NULL) {
    (*env)->ReleaseStringUTFChars(env, jdir, dir);
    return;
  }
  const char *what = NULL;
  int err = make_shared_mount_point(dir, &what);
  if (err != 0) {
    throw_errno(env, err, "mount %s (%s)", dir, what);
    goto out;
  }
  int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) {
    throw_errno(env, errno, "open /proc/thread-self/ns/net");
    goto out;
  }
  if (unshare(CLONE_NEWNET) != 0) {
    throw_errno(env, errno, "unshare(CLONE_NEWNET)");
    close(home);
    goto out;
  }
  err = loopback_up();
  if (err != 0) {
    what = "bring loopback up in";
  } else if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) != 0) {
    err = errno;
    what = "bind-mount";
  }
  if (setns(home, CLONE_NEWNET) != 0) {
    /* A JVM thread left in a pod's namespace would run later work there: stop instead. */
    fprintf(stderr, "jrkt: cannot return to the original network namespace: %s\n",
            strerror(errno));
    abort();
  }
  close(home);
  if (err != 0) {
    throw_errno(env, err, "%s network namespace %s", what, path);
  }
out:
  (*env)->ReleaseStringUTFChars(env, jpath, path);
  (*env)->ReleaseStringUTFChars(env, jdir, dir);
}

/* ---- execve ---------------------------------------------------------------------------- */

/* A Java String[] as a NULL-terminated char* array, plus what is needed to release it. */
struct cstrings {
  jobjectArray array;
  jsize length;
  jstring *jstrings;
  char **strings; /* length + 1 entries, the last NULL */
};

static void release_cstrings(JNIEnv *env, struct cstrings *c) {
  if (c->strings != NULL) {
    for (jsize i = 0; i < c->length; i++) {
      if (c->strings[i] != NULL) {
        (*env)->ReleaseStringUTFChars(env, c->jstrings[i], c->strings[i]);
      }
      if (c->jstrings[i] != NULL) {
        (*env)->DeleteLocalRef(env, c->jstrings[i]);
      }
    }
  }
  free(c->strings);
  free(c->jstrings);
  c->strings = NULL;
  c->jstrings = NULL;
}

/* Returns 0, or -1 with a Java exception pending. */
static int get_cstrings(JNIEnv *env, jobjectArray array, const char *name, struct cstrings *c) {
  char message[128];
  c->array = array;
  c->strings = NULL;
  c->jstrings = NULL;
  c->length = 0;
  if (array == NULL) {
    snprintf(message, sizeof message, "execve: %s is null", name);
    throw_illegal_argument(env, message);
    return -1;
  }
  c->length = (*env)->GetArrayLength(env, array);
  c->jstrings = calloc((size_t)c->length + 1, sizeof *c->jstrings);
  c->strings = calloc((size_t)c->length + 1, sizeof *c->strings);
  if (c->jstrings == NULL || c->strings == NULL) {
    throw_errno(env, ENOMEM, "execve: %s", name);
    return -1;
  }
  for (jsize i = 0; i < c->length; i++) {
    c->jstrings[i] = (jstring)(*env)->GetObjectArrayElement(env, array, i);
    if (c->jstrings[i] == NULL) {
      snprintf(message, sizeof message, "execve: %s[%d] is null", name, (int)i);
      throw_illegal_argument(env, message);
      return -1;
    }
    c->strings[i] = (char *)(*env)->GetStringUTFChars(env, c->jstrings[i], NULL);
    if (c->strings[i] == NULL) {
      return -1;
    }
  }
  return 0;
}

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* Marks fds from lo to hi (inclusive) close-on-exec; 0 or -1 with errno. */
static int cloexec_range(unsigned int lo, unsigned int hi) {
  if (lo > hi) {
    return 0;
  }
  return (int)syscall(SYS_close_range, lo, hi, CLOSE_RANGE_CLOEXEC);
}

static int is_kept(int fd, const int *keep, int nkeep) {
  for (int i = 0; i < nkeep; i++) {
    if (keep[i] == fd) {
      return 1;
    }
  }
  return 0;
}

/*
 * Marks every fd above 2 except the kept ones close-on-exec. Marking instead of closing gives
 * the exec'd program the same fd table, but leaves the JVM usable should the exec fail. keep is
 * sorted. Falls back to walking /proc/self/fd on kernels without CLOSE_RANGE_CLOEXEC (< 5.11).
 */
static int cloexec_all_but(const int *keep, int nkeep) {
  unsigned int lo = 3;
  int ok = 1;
  for (int i = 0; i < nkeep && ok; i++) {
    if (keep[i] < 3) {
      continue;
    }
    if (cloexec_range(lo, (unsigned int)keep[i] - 1) != 0) {
      ok = 0;
    }
    lo = (unsigned int)keep[i] + 1;
  }
  if (ok && cloexec_range(lo, ~0U) == 0) {
    return 0;
  }
  if (errno != ENOSYS && errno != EINVAL) {
    return -1;
  }
  DIR *dir = opendir("/proc/self/fd");
  if (dir == NULL) {
    return -1;
  }
  int self = dirfd(dir);
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    char *end;
    long fd = strtol(entry->d_name, &end, 10);
    if (*end != '\0' || end == entry->d_name || fd <= 2 || fd == self ||
        is_kept((int)fd, keep, nkeep)) {
      continue;
    }
    int flags = fcntl((int)fd, F_GETFD);
    if (flags >= 0) {
      fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
    }
  }
  closedir(dir);
  return 0;
}

/* Signals the JVM left ignored: SIG_IGN survives execve, handlers do not. */
struct ignored_signals {
  int count;
  int signo[NSIG];
};

/*
 * The kernel's struct sigaction. The raw call reaches the signals glibc keeps to itself (32 and
 * 33, which glibc's sigaction refuses), and one of them is found ignored inside a JVM.
 */
struct kernel_sigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)(void);
  unsigned long mask;
};

static int raw_sigaction(int sig, const struct kernel_sigaction *act,
                         struct kernel_sigaction *old) {
  return (int)syscall(SYS_rt_sigaction, sig, act, old, sizeof(unsigned long));
}

/*
 * Sets every ignored signal back to SIG_DFL. Handled signals are left alone: execve resets
 * them, and resetting them here would let another JVM thread die of, say, the SIGSEGV the JVM
 * uses for implicit null checks before the exec happens.
 */
static void reset_ignored_signals(struct ignored_signals *ignored) {
  struct kernel_sigaction dfl = {.handler = SIG_DFL};
  ignored->count = 0;
  for (int sig = 1; sig < NSIG; sig++) {
    struct kernel_sigaction current;
    if (raw_sigaction(sig, NULL, &current) != 0 || current.handler != SIG_IGN) {
      continue;
    }
    if (raw_sigaction(sig, &dfl, NULL) == 0) {
      ignored->signo[ignored->count++] = sig;
    }
  }
}

static void restore_ignored_signals(const struct ignored_signals *ignored) {
  struct kernel_sigaction ign = {.handler = SIG_IGN};
  for (int i = 0; i < ignored->count; i++) {
    raw_sigaction(ignored->signo[i], &ign, NULL);
  }
}

/*
 * Everything that can fail for a reason the caller should hear about (missing program, program
 * not executable, bad cwd, bad fd to keep) is checked before the process is changed; what is
 * changed afterwards is undone if execve itself fails.
 */
JNIEXPORT void JNICALL Java_io_jrkt_sys_Native_execve(JNIEnv *env, jclass cls, jstring jpath,
                                                      jobjectArray jargv, jobjectArray jenvp,
                                                      jstring jcwd, jintArray jkeep) {
  (void)cls;
  const char *path = NULL;
  const char *cwd = NULL;
  struct cstrings argv = {0}, envp = {0};
  int *keep = NULL;
  int *keep_flags = NULL;
  int nkeep = 0;
  int cwd_fd = -1, old_cwd_fd = -1;

  if (jpath == NULL || jcwd == NULL) {
    throw_illegal_argument(env, jpath == NULL ? "execve: path is null" : "execve: cwd is null");
    goto out;
  }
  path = (*env)->GetStringUTFChars(env, jpath, NULL);
  if (path == NULL) {
    goto out;
  }
  cwd = (*env)->GetStringUTFChars(env, jcwd, NULL);
  if (cwd == NULL) {
    goto out;
  }
  if (get_cstrings(env, jargv, "argv", &argv) != 0 ||
      get_cstrings(env, jenvp, "envp", &envp) != 0) {
    goto out;
  }
  if (jkeep != NULL) {
    nkeep = (*env)->GetArrayLength(env, jkeep);
    keep = calloc((size_t)nkeep + 1, sizeof *keep);
    keep_flags = calloc((size_t)nkeep + 1, sizeof *keep_flags);
    if (keep == NULL || keep_flags == NULL) {
      throw_errno(env, ENOMEM, "execve %s", path);
      goto out;
    }
    (*env)->GetIntArrayRegion(env, jkeep, 0, nkeep, (jint *)keep);
    if ((*env)->ExceptionCheck(env)) {
      goto out;
    }
    qsort(keep, (size_t)nkeep, sizeof *keep, compare_ints);
  }

  /* Validation: nothing in the process has changed yet. */
  cwd_fd = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cwd_fd < 0 || faccessat(AT_FDCWD, cwd, X_OK, AT_EACCESS) != 0) {
    throw_errno(env, errno, "chdir %s", cwd);
    goto out;
  }
  /* A relative path is looked up from the new cwd, as execve will after the chdir. */
  struct stat st;
  if (fstatat(cwd_fd, path, &st, 0) != 0) {
    throw_errno(env, errno, "execve %s", path);
    goto out;
  }
  if (!S_ISREG(st.st_mode)) {
    throw_errno(env, S_ISDIR(st.st_mode) ? EISDIR : EACCES, "execve %s", path);
    goto out;
  }
  if (faccessat(cwd_fd, path, X_OK, AT_EACCESS) != 0) {
    throw_errno(env, errno, "execve %s", path);
    goto out;
  }
  for (int i = 0; i < nkeep; i++) {
    keep_flags[i] = fcntl(keep[i], F_GETFD);
    if (keep_flags[i] < 0) {
      throw_errno(env, errno, "execve %s: keep fd %d", path, keep[i]);
      goto out;
    }
  }
  old_cwd_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (old_cwd_fd < 0) {
    throw_errno(env, errno, "execve %s: open current directory", path);
    goto out;
  }

  /* The hand-over; undone below if execve returns. */
  if (cloexec_all_but(keep, nkeep) != 0) {
    throw_errno(env, errno, "execve %s: mark fds close-on-exec", path);
    goto out;
  }
  for (int i = 0; i < nkeep; i++) {
    fcntl(keep[i], F_SETFD, keep_flags[i] & ~FD_CLOEXEC);
  }
  if (fchdir(cwd_fd) != 0) {
    throw_errno(env, errno, "chdir %s", cwd);
    goto restore_fds;
  }
  struct ignored_signals ignored;
  reset_ignored_signals(&ignored);
  sigset_t none, old_mask;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, &old_mask);

  execve(path, argv.strings, envp.strings);
  int err = errno;

  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  restore_ignored_signals(&ignored);
  if (fchdir(old_cwd_fd) != 0) {
    /* Nothing better to do: the exception below is what the caller needs. */
  }
  throw_errno(env, err, "execve %s", path);
restore_fds:
  for (int i = 0; i < nkeep; i++) {
    fcntl(keep[i], F_SETFD, keep_flags[i]);
  }
out:
  if (cwd_fd >= 0) {
    close(cwd_fd);
  }
  if (old_cwd_fd >= 0) {
    close(old_cwd_fd);
  }
  free(keep);
  free(keep_flags);
  release_cstrings(env, &argv);
  release_cstrings(env, &envp);
  if (cwd != NULL) {
    (*env)->ReleaseStringUTFChars(env, jcwd, cwd);
  }
  if (path != NULL) {
    (*env)->ReleaseStringUTFChars(env, jpath, path);
  }
}
