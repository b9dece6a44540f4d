/*
 * gc [--debug] [--local-config=DIR] UUID: removes the pod's cgroup (see cgroup.c) and the state
 * directory systemd-nspawn leaves in /run when /run is not a tmpfs, then, as stage1-fly's gc,
 * unmounts whatever is still mounted below the pod directory in the host. Exits 254 when
 * something could not be removed, so that stage0 keeps the pod directory and its records.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "nspawn.h"

/* The pod's netns when stage0's gc has not removed it (stage0 tears the networks down first and
 * then forgets the netns file): exactly /run/netns/jrkt-<uuid>, named by the pod's netns file,
 * is unmounted and removed. CNI DEL is stage0's part: it needs the plugins' records. */
static int remove_netns(const char *uuid) {
  size_t size;
  char *recorded = read_file("netns", &size);
  if (recorded == NULL) {
    return 0;
  }
  recorded[strcspn(recorded, "\n")] = '\0';
  char ours[PATH_MAX];
  snprintf(ours, sizeof ours, "/run/netns/jrkt-%s", uuid);
  if (strcmp(recorded, ours) != 0) {
    fprintf(stderr, "%s: gc: the pod's netns file names %s, not %s: left alone\n",
            fly_program_name, recorded, ours);
    return -1;
  }
  if (umount2(ours, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    fprintf(stderr, "%s: gc: unmount %s: %s\n", fly_program_name, ours, strerror(errno));
    return -1;
  }
  if (unlink(ours) != 0 && errno != ENOENT) {
    fprintf(stderr, "%s: gc: remove %s: %s\n", fly_program_name, ours, strerror(errno));
    return -1;
  }
  debugf("gc: removed network namespace %s", ours);
  return 0;
}

int nspawn_gc_main(int argc, char **argv) {
  const char *uuid = NULL;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *value;
    int on;
    if (arg[0] != '-') {
      uuid = uuid == NULL ? arg : uuid;
    } else if (flag_bool(arg, "--debug", &on)) {
      fly_debug_enabled = on;
    } else {
      flag_value(argc, argv, &i, "--local-config", &value); /* fly's gc checks the rest */
    }
  }
  if (uuid == NULL || strchr(uuid, '/') != NULL) {
    return gc_main(argc, argv); /* says what is wrong */
  }
  int failed = cgroup_remove_app_limits(uuid) != 0;
  failed |= cgroup_remove_pod(uuid) != 0;

  char propagate[PATH_MAX];
  snprintf(propagate, sizeof propagate, "/run/systemd/nspawn/propagate/rkt-%s", uuid);
  if (rmdir(propagate) == 0) {
    debugf("gc: removed %s", propagate);
  } else if (errno != ENOENT) {
    fprintf(stderr, "%s: gc: remove %s: %s\n", fly_program_name, propagate, strerror(errno));
    failed = 1;
  }
  failed |= remove_netns(uuid) != 0;
  int mounts = gc_main(argc, argv);
  return failed ? FLY_EXIT_FAILURE : mounts;
}
