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
#include <unistd.h>

#include "nspawn.h"

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
  int mounts = gc_main(argc, argv);
  return failed ? FLY_EXIT_FAILURE : mounts;
}
