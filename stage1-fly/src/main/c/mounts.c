/*
 * The app's mounts, made in a private mount namespace so that none of them shows up in (or
 * outlives the pod in) the host's.
 *
 * Mount targets are resolved with openat2(RESOLVE_IN_ROOT): a symlink in the app rootfs, even an
 * absolute one or one full of "..", resolves as if the app root were "/", so a target can never
 * land outside it. Mounts are then made onto the resolved fd through /proc/self/fd/N.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fly.h"

static int openat2_in_root(int rootfd, const char *path, int flags) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (unsigned long long)(flags | O_PATH | O_CLOEXEC);
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  int fd;
  do {
    fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
  } while (fd < 0 && errno == EAGAIN); /* a concurrent rename elsewhere; retry */
  return fd;
}

static void fd_path(int fd, char *buf, size_t size) {
  snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/*
 * Returns an O_PATH fd of target (a clean absolute path) inside the root, creating each missing
 * component: directories, and for the last one an empty file when as_file is set. A dangling
 * symlink on the way is followed (inside the root) and what it points to is created. Every
 * lookup starts again from the root, so a component created or swapped meanwhile is still
 * resolved in it.
 */
static int open_target(int rootfd, const char *app, const char *target, int as_file) {
  int fd = openat2_in_root(rootfd, target, 0);
  if (fd >= 0) {
    return fd;
  }
  if (errno != ENOENT) {
    die_errno("mount target %s in app \"%s\"", target, app);
  }

  char path[PATH_MAX], prefix[PATH_MAX];
  if (snprintf(path, sizeof path, "%s", target) >= (int)sizeof path) {
    die("mount target %s in app \"%s\": path too long", target, app);
  }
  int links = 0;
restart:;
  int parent = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
  if (parent < 0) {
    die_errno("dup");
  }
  const char *p = path;
  for (;;) {
    while (*p == '/') {
      p++;
    }
    if (*p == '\0') {
      return parent;
    }
    const char *name = p;
    const char *end = strchrnul(name, '/');
    const char *rest = end + strspn(end, "/");
    int last = *rest == '\0';
    size_t prefix_len = (size_t)(end - path);
    memcpy(prefix, path, prefix_len);
    prefix[prefix_len] = '\0';
    p = end;

    fd = openat2_in_root(rootfd, prefix, last ? 0 : O_DIRECTORY);
    if (fd < 0 && errno == ENOENT) {
      /* "." and ".." always exist: name is a real entry of parent. */
      char component[NAME_MAX + 1];
      snprintf(component, sizeof component, "%.*s", (int)(end - name), name);
      int made;
      if (last && as_file) {
        int file = openat(parent, component, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          0644);
        made = file >= 0;
        if (made) {
          close(file);
        }
      } else {
        made = mkdirat(parent, component, 0755) == 0;
      }
      if (!made) {
        struct stat st;
        char link[PATH_MAX];
        ssize_t n;
        if (errno != EEXIST || fstatat(parent, component, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISLNK(st.st_mode)) {
          die_errno("mount target %s in app \"%s\": create %s", target, app, prefix);
        }
        /* A dangling symlink: go on from where it points, the rest of the path appended. */
        n = readlinkat(parent, component, link, sizeof link - 1);
        if (n <= 0 || ++links > 40) {
          errno = n <= 0 ? errno : ELOOP;
          die_errno("mount target %s in app \"%s\": symlink %s", target, app, prefix);
        }
        link[n] = '\0';
        char next[PATH_MAX];
        /* end is "" or starts with '/'; path up to name ends with '/'. */
        int len = link[0] == '/'
                      ? snprintf(next, sizeof next, "%s%s", link, end)
                      : snprintf(next, sizeof next, "%.*s%s%s", (int)(name - path), path, link,
                                 end);
        if (len >= (int)sizeof next) {
          die("mount target %s in app \"%s\": path too long", target, app);
        }
        debugf("app \"%s\": mount target %s: %s leads to %s", app, target, prefix, link);
        memcpy(path, next, (size_t)len + 1);
        close(parent);
        goto restart;
      }
      debugf("app \"%s\": created %s%s", app, prefix, last && as_file ? "" : "/");
      fd = openat2_in_root(rootfd, prefix, last ? 0 : O_DIRECTORY);
    }
    if (fd < 0) {
      die_errno("mount target %s in app \"%s\": %s", target, app, prefix);
    }
    close(parent);
    parent = fd;
  }
}

static void mount_on(int fd, const char *source, const char *fstype, unsigned long flags,
                     const char *data, const char *app, const char *target) {
  char path[64];
  fd_path(fd, path, sizeof path);
  if (mount(source, path, fstype, flags, data) != 0) {
    die_errno("mount %s on %s in app \"%s\"", source, target, app);
  }
}

/* Carries over the flags a bind remount would otherwise clear. */
static unsigned long kept_mount_flags(int fd) {
  struct statvfs st;
  if (fstatvfs(fd, &st) != 0) {
    return 0;
  }
  static const struct {
    unsigned long st, ms;
  } map[] = {{ST_NOSUID, MS_NOSUID},     {ST_NODEV, MS_NODEV},
             {ST_NOEXEC, MS_NOEXEC},     {ST_NOATIME, MS_NOATIME},
             {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME}};
  unsigned long flags = 0;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (st.f_flag & map[i].st) {
      flags |= map[i].ms;
    }
  }
  return flags;
}

/* fd must be the root of a mount; recursive also covers the mounts beneath it. */
static void make_readonly(int fd, int recursive, const char *app, const char *target) {
  struct mount_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.attr_set = MOUNT_ATTR_RDONLY;
  unsigned int flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (syscall(SYS_mount_setattr, fd, "", flags, &attr, sizeof attr) == 0) {
    return;
  }
  if (errno != ENOSYS) {
    die_errno("remount %s read-only in app \"%s\"", target, app);
  }
  /* Before Linux 5.12: only the top mount can be made read-only. */
  char path[64];
  fd_path(fd, path, sizeof path);
  if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | kept_mount_flags(fd), NULL) !=
      0) {
    die_errno("remount %s read-only in app \"%s\"", target, app);
  }
}

void mounts_private_namespace(void) {
  if (unshare(CLONE_NEWNS) != 0) {
    die_errno("unshare the mount namespace");
  }
  /* Host mounts still propagate in; nothing mounted here propagates out. */
  if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) != 0) {
    die_errno("make / a recursive slave mount");
  }
  debugf("entered a private mount namespace (/ is a recursive slave)");
}

int mounts_prepare_app(const struct plan_app *app) {
  /* The root becomes a mount of its own: chroot target, and what readonly-rootfs remounts. */
  int fd = open(app->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    die_errno("app \"%s\": open rootfs %s", app->name, app->root);
  }
  char path[64];
  fd_path(fd, path, sizeof path);
  if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) {
    die_errno("app \"%s\": bind-mount rootfs %s onto itself", app->name, app->root);
  }
  close(fd);
  int rootfd = open(app->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) {
    die_errno("app \"%s\": open rootfs %s", app->name, app->root);
  }
  debugf("app \"%s\": rootfs %s bind-mounted onto itself", app->name, app->root);

  static const char *const host_trees[] = {"/dev", "/proc", "/sys"};
  for (size_t i = 0; i < sizeof host_trees / sizeof host_trees[0]; i++) {
    fd = open_target(rootfd, app->name, host_trees[i], 0);
    mount_on(fd, host_trees[i], NULL, MS_BIND | MS_REC, NULL, app->name, host_trees[i]);
    close(fd);
    debugf("app \"%s\": rbind %s", app->name, host_trees[i]);
  }
  fd = open_target(rootfd, app->name, "/tmp", 0);
  mount_on(fd, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777", app->name, "/tmp");
  close(fd);
  debugf("app \"%s\": tmpfs on /tmp", app->name);

  for (size_t i = 0; i < app->nmounts; i++) {
    const struct plan_mount *m = &app->mounts[i];
    if (m->bind) {
      struct stat source;
      if (stat(m->source, &source) != 0) {
        die_errno("mount %s on %s in app \"%s\": source", m->source, m->target, app->name);
      }
      int as_file = !S_ISDIR(source.st_mode);
      fd = open_target(rootfd, app->name, m->target, as_file);
      mount_on(fd, m->source, NULL, MS_BIND | (m->bind == 2 ? MS_REC : 0), NULL, app->name,
               m->target);
      close(fd);
      if (m->readonly) {
        /* The fd we mounted on sees the covered directory; look the target up again. */
        fd = open_target(rootfd, app->name, m->target, 0);
        make_readonly(fd, m->bind == 2, app->name, m->target);
        close(fd);
      }
    } else {
      fd = open_target(rootfd, app->name, m->target, 0);
      mount_on(fd, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV | (m->readonly ? MS_RDONLY : 0), NULL,
               app->name, m->target);
      close(fd);
    }
    debugf("app \"%s\": mount %s on %s (%s%s)", app->name, m->source, m->target,
           m->bind == 2 ? "rbind" : m->bind ? "bind" : "tmpfs", m->readonly ? ",ro" : "");
  }

  if (app->readonly_rootfs) {
    make_readonly(rootfd, 0, app->name, "/");
    debugf("app \"%s\": rootfs remounted read-only", app->name);
  }
  return rootfd;
}
