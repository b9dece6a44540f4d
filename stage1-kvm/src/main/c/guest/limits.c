/*
 * Per-app memory and CPU limits inside the VM. The VM's size already bounds the pod as a whole;
 * these keep one app of a multi-app pod from taking what the others were given, as
 * stage1-nspawn's cgroups do. The guest kernel is ours alone, so the limits are cgroup2 groups
 * at the root of its own hierarchy: /sys/fs/cgroup/app-<name>, with memory.max and cpu.max
 * (the same 100 ms period as stage1-nspawn's cpu.cfs_period_us). Nothing here outlives the VM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CPU_PERIOD_US 100000L

static void write_or_die(const char *dir, const char *file, const char *value,
                         const char *app) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, value, strlen(value)) < 0) {
    die_errno("app \"%s\": write %s to %s", app, value, path);
  }
  close(fd);
}

static void app_cgroup(const struct plan_app *app, char *out, size_t size) {
  snprintf(out, size, "%s/app-%s", CGROUP_ROOT, app->name);
}

void guest_limits_setup(const struct plan *plan) {
  int memory = 0, cpu = 0;
  for (size_t a = 0; a < plan->napps; a++) {
    const struct plan_app *app = &plan->apps[a];
    if (app->cpu_quota_milli > 0 && app->cpu_quota_milli < 10) {
      die("app \"%s\": a CPU limit of %ldm is below the kernel's minimum of 10m", app->name,
          app->cpu_quota_milli);
    }
    memory |= app->memory_limit > 0;
    cpu |= app->cpu_quota_milli > 0;
  }
  if (!memory && !cpu) {
    return;
  }
  if (mount("cgroup2", CGROUP_ROOT, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
    die_errno("mount cgroup2 on %s for the apps' memory and CPU limits", CGROUP_ROOT);
  }
  char controllers[32];
  snprintf(controllers, sizeof controllers, "%s%s%s", memory ? "+memory" : "",
           memory && cpu ? " " : "", cpu ? "+cpu" : "");
  write_or_die(CGROUP_ROOT, "cgroup.subtree_control", controllers, "(all)");
  for (size_t a = 0; a < plan->napps; a++) {
    const struct plan_app *app = &plan->apps[a];
    if (app->memory_limit == 0 && app->cpu_quota_milli == 0) {
      continue;
    }
    char dir[PATH_MAX], value[64];
    app_cgroup(app, dir, sizeof dir);
    if (mkdir(dir, 0755) != 0) {
      die_errno("app \"%s\": create cgroup %s", app->name, dir);
    }
    if (app->memory_limit > 0) {
      snprintf(value, sizeof value, "%ld", app->memory_limit);
      write_or_die(dir, "memory.max", value, app->name);
    }
    if (app->cpu_quota_milli > 0) {
      snprintf(value, sizeof value, "%ld %ld", app->cpu_quota_milli * (CPU_PERIOD_US / 1000),
               CPU_PERIOD_US);
      write_or_die(dir, "cpu.max", value, app->name);
    }
    debugf("app \"%s\": cgroup %s (memory %ld bytes, cpu %ldm)", app->name, dir,
           app->memory_limit, app->cpu_quota_milli);
  }
}

void guest_limits_join(const struct plan_app *app) {
  if (app->memory_limit == 0 && app->cpu_quota_milli == 0) {
    return;
  }
  char dir[PATH_MAX];
  app_cgroup(app, dir, sizeof dir);
  write_or_die(dir, "cgroup.procs", "0", app->name);
}
