/*
 * The guest's /init (PID 1 of the VM). It loads the virtio modules the initramfs carries, mounts
 * the pod directory the host shares over virtiofs (tag "pod") on /pod, and runs the pod's apps
 * from the run plan there with stage1-nspawn's supervision rules:
 *  - each app's mounts (stage1-fly's code), then a fork per app: process group leader, its
 *    cgroup (limits.c), oom_score_adj and the bounding set, chroot, cwd, groups, gid, uid, the
 *    capability sets and no_new_privs, the seccomp filter (stage1-nspawn's isolators, shared),
 *    exec with exactly the plan's environment; its stdout and stderr are
 *    its own virtio-serial ports "out.<app>" and "err.<app>", which the host sends to the
 *    journal under the app's name or to the pod's stdout and stderr;
 *  - an app's exit code (128+N for signal N) goes to rkt/status/<app> on the share, i.e. on the
 *    host; the first app to fail sets the pod's status and the others get SIGTERM;
 *  - a STOP from the host forwards SIGTERM to every app;
 *  - when all apps have exited, the pod's status goes to the host (control port) and the VM
 *    powers off.
 * The "agent" port runs commands in an app for `enter` (agent.c). Any failure before the apps start exits
 * this process: the kernel panics, and with panic=-1 and qemu's -no-reboot the VM ends at once.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define POD_MOUNT "/pod"
#define MODULE_ORDER "/lib/modules/order"
#define PORT_WAIT_MS 5000
#define AGENT_RECHECK_MS 25

struct app_state {
  pid_t pid; /* 0 once it has exited */
  int code;
};

static struct plan plan;
static struct app_state *apps;
static size_t running;
static int pod_code = 0, pod_failed = 0;
static int control_fd = -1;
static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void mount_or_die(const char *source, const char *target, const char *type,
                         unsigned long flags, const char *data) {
  mkdir(target, 0755);
  if (mount(source, target, type, flags, data) != 0) {
    die_errno("mount %s on %s", type, target);
  }
}

/* The modules only a VM with a network card needs (virtio_net and what it depends on). */
static int is_network_module(const char *name) {
  return strcmp(name, "virtio_net") == 0 || strcmp(name, "net_failover") == 0
      || strcmp(name, "failover") == 0;
}

/* Loads the modules named in MODULE_ORDER (dependencies first), from /lib/modules: the network
 * ones if network is set, the others if not. */
static void load_modules(int network) {
  size_t size;
  char *order = read_file(MODULE_ORDER, &size);
  if (order == NULL) {
    die_errno("read %s", MODULE_ORDER);
  }
  for (char *line = strtok(order, "\n"); line != NULL; line = strtok(NULL, "\n")) {
    if (is_network_module(line) != network) {
      continue;
    }
    long start = now_ms();
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/lib/modules/%s.ko", line);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      die_errno("open kernel module %s", path);
    }
    if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST) {
      die_errno("load kernel module %s", path);
    }
    close(fd);
    debugf("loaded %s in %ld ms", line, now_ms() - start);
  }
  free(order);
}

/* Whether virtio_mmio found a network card (virtio device ID 1). A pod with --net=none has none,
 * and then the network modules are not loaded: under TCG each costs tens of ms of the boot. */
static int has_network_card(void) {
  DIR *d = opendir("/sys/bus/virtio/devices");
  if (d == NULL) {
    return 0;
  }
  int found = 0;
  struct dirent *e;
  while (!found && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') {
      continue;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof path, "/sys/bus/virtio/devices/%s/device", e->d_name);
    size_t size;
    char *id = read_file(path, &size);
    found = id != NULL && strtol(id, NULL, 0) == 1;
    free(id);
  }
  closedir(d);
  return found;
}

/* Opens the virtio-serial ports with these names (fds[i] for names[i], with flags[i]); waits
 * for them to show up. The ports of the device appear together, so one pass over
 * /sys/class/virtio-ports usually finds them all. */
static size_t try_open_ports(const char *const *names, const int *flags, int *fds, size_t n,
                             long wait_ms) {
  long deadline = now_ms() + wait_ms;
  size_t missing = n;
  for (size_t i = 0; i < n; i++) {
    fds[i] = -1;
  }
  for (;;) {
    DIR *d = opendir("/sys/class/virtio-ports");
    struct dirent *e;
    while (missing > 0 && d != NULL && (e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') {
        continue;
      }
      char path[PATH_MAX];
      snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
      size_t size;
      char *text = read_file(path, &size);
      if (text == NULL) {
        continue;
      }
      text[strcspn(text, "\n")] = '\0';
      for (size_t i = 0; i < n; i++) {
        if (fds[i] < 0 && strcmp(text, names[i]) == 0) {
          snprintf(path, sizeof path, "/dev/%s", e->d_name);
          fds[i] = open(path, flags[i] | O_CLOEXEC);
          missing -= fds[i] >= 0;
          break;
        }
      }
      free(text);
    }
    if (d != NULL) {
      closedir(d);
    }
    if (missing == 0 || now_ms() > deadline) {
      return missing;
    }
    usleep(2000);
  }
}

static void open_ports(const char *const *names, const int *flags, int *fds, size_t n) {
  if (try_open_ports(names, flags, fds, n, PORT_WAIT_MS) > 0) {
    for (size_t i = 0; i < n; i++) {
      if (fds[i] < 0) {
        die("virtio-serial port \"%s\" did not show up", names[i]);
      }
    }
  }
}

/*
 * The host adds the virtio-serial ports a while after virtio_console has loaded (about 0.2 s
 * under TCG), so /init does its other work first: the pod share, the plan, the apps' mounts.
 * Until the "stderr" port is open its messages go to a memory file; then they are copied to
 * the port, in order. If /init dies before that, an exit handler still waits for the port and
 * copies them there (or, without the port, to the kernel's console), so a failing set-up still
 * shows its reason on the pod's stderr.
 */
static int early_stderr = -1, console_fd = -1;

static void copy_early_stderr(int to) {
  char buf[4096];
  ssize_t n;
  lseek(early_stderr, 0, SEEK_SET);
  while ((n = read(early_stderr, buf, sizeof buf)) > 0) {
    if (write(to, buf, (size_t)n) < 0) {
      break;
    }
  }
}

static void attach_stderr(int port) {
  copy_early_stderr(port);
  dup2(port, 2);
  close(port);
  close(early_stderr);
  early_stderr = -1;
}

static void flush_early_stderr_at_exit(void) {
  if (early_stderr < 0) {
    return;
  }
  const char *const name[] = {"stderr"};
  const int flags[] = {O_WRONLY};
  int fd;
  if (try_open_ports(name, flags, &fd, 1, PORT_WAIT_MS) == 0) {
    attach_stderr(fd);
  } else if (console_fd >= 0) {
    copy_early_stderr(console_fd);
  }
}

static void buffer_stderr_until_the_port_opens(void) {
  console_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
  early_stderr = memfd_create("early-stderr", MFD_CLOEXEC);
  if (early_stderr < 0 || dup2(early_stderr, 2) < 0) {
    die_errno("buffer the init's messages");
  }
  atexit(flush_early_stderr_at_exit);
}

/* Each app's stdout and stderr ports ("out.<app>", "err.<app>"): out[a] and err[a]. */
static void open_app_ports(int *out, int *err) {
  size_t n = 2 * plan.napps;
  const char **names = calloc(n + 1, sizeof *names);
  int *flags = calloc(n + 1, sizeof *flags), *fds = calloc(n + 1, sizeof *fds);
  if (names == NULL || flags == NULL || fds == NULL) {
    die("out of memory");
  }
  for (size_t a = 0; a < plan.napps; a++) {
    char *o, *e;
    if (asprintf(&o, "out.%s", plan.apps[a].name) < 0 ||
        asprintf(&e, "err.%s", plan.apps[a].name) < 0) {
      die("out of memory");
    }
    names[2 * a] = o;
    names[2 * a + 1] = e;
    flags[2 * a] = flags[2 * a + 1] = O_WRONLY;
  }
  open_ports(names, flags, fds, n);
  for (size_t a = 0; a < plan.napps; a++) {
    out[a] = fds[2 * a];
    err[a] = fds[2 * a + 1];
    free((char *)names[2 * a]);
    free((char *)names[2 * a + 1]);
  }
  free(names);
  free(flags);
  free(fds);
}

static void mount_pod_share(void) {
  mkdir(POD_MOUNT, 0755);
  long deadline = now_ms() + PORT_WAIT_MS;
  while (mount("pod", POD_MOUNT, "virtiofs", MS_NODEV, NULL) != 0) {
    if ((errno != ENOENT && errno != ENODEV && errno != EINVAL) || now_ms() > deadline) {
      die_errno("mount the pod's virtiofs share on %s", POD_MOUNT);
    }
    usleep(2000);
  }
  if (chdir(POD_MOUNT) != 0) {
    die_errno("chdir %s", POD_MOUNT);
  }
}

#define VOLUMES_DIR "/vol"

/* Mounts each host volume's share (virtio-fs tag = its tag) on VOLUMES_DIR/<tag>. */
static void mount_volume_shares(const struct vm_spec *spec) {
  mkdir(VOLUMES_DIR, 0755);
  for (size_t v = 0; v < spec->nvolumes; v++) {
    char target[PATH_MAX];
    snprintf(target, sizeof target, "%s/%s", VOLUMES_DIR, spec->volumes[v].tag);
    mkdir(target, 0755);
    if (mount(spec->volumes[v].tag, target, "virtiofs", MS_NODEV, NULL) != 0) {
      die_errno("mount the share of host volume %s on %s", spec->volumes[v].host_path, target);
    }
    debugf("host volume %s on %s", spec->volumes[v].host_path, target);
  }
}

/* s with prefix dir (a whole path component) replaced by to; NULL when s is not under dir. */
static char *map_prefix(const char *s, const char *dir, const char *to) {
  size_t n = strlen(dir);
  if (strncmp(s, dir, n) != 0 || (s[n] != '/' && s[n] != '\0')) {
    return NULL;
  }
  char *mapped;
  if (asprintf(&mapped, "%s%s", to, s + n) < 0) {
    die("out of memory");
  }
  return mapped;
}

/* Bind sources are host paths: those in the pod directory are found in its share, those of
 * host volumes in theirs. */
static void map_volume_sources(const struct vm_spec *spec) {
  for (size_t a = 0; a < plan.napps; a++) {
    struct plan_app *app = &plan.apps[a];
    for (size_t i = 0; i < app->nmounts; i++) {
      struct plan_mount *m = &app->mounts[i];
      if (!m->bind) {
        continue;
      }
      char *mapped = map_prefix(m->source, spec->host_pod_dir, POD_MOUNT);
      for (size_t v = 0; mapped == NULL && v < spec->nvolumes; v++) {
        char to[PATH_MAX];
        snprintf(to, sizeof to, "%s/%s", VOLUMES_DIR, spec->volumes[v].tag);
        mapped = map_prefix(m->source, spec->volumes[v].host_path, to);
      }
      if (mapped == NULL) {
        die("app \"%s\": volume source %s is not shared into the VM", app->name, m->source);
      }
      m->source = mapped;
    }
  }
}

static void write_status(const struct plan_app *app, int code) {
  char path[PATH_MAX], value[16];
  snprintf(path, sizeof path, "%s/%s", FLY_STATUS_DIR, app->name);
  snprintf(value, sizeof value, "%d", code);
  if (write_file_atomic(path, value) != 0) {
    fprintf(stderr, "%s: write %s: %s\n", fly_program_name, path, strerror(errno));
  }
}

static void signal_apps(int sig) {
  for (size_t a = 0; a < plan.napps; a++) {
    if (apps[a].pid > 0) {
      kill(-apps[a].pid, sig);
      kill(apps[a].pid, sig);
    }
  }
}

/* Whether the file holds word as one of its space- or newline-separated words. */
static int file_has_word(const char *path, const char *word) {
  size_t size;
  char *text = read_file(path, &size);
  if (text == NULL) {
    return 0;
  }
  int found = 0;
  for (char *w = strtok(text, " \n"); w != NULL; w = strtok(NULL, " \n")) {
    found |= strcmp(w, word) == 0;
  }
  free(text);
  return found;
}

/* What stage0's flags leave unrestricted (KVM_INSECURE_FILE); set before the apps start. */
static int restrict_caps = 1, filter_syscalls = 1;

/* Unknown syscall names fail the pod here, before any app starts (as in stage1-nspawn). */
static void check_seccomp_filters(void) {
  for (size_t a = 0; filter_syscalls && a < plan.napps; a++) {
    if (plan.apps[a].has_seccomp) {
      struct sock_filter *filter;
      seccomp_build_filter(&plan.apps[a], &filter);
      free(filter);
    }
  }
}

static pid_t start_app(size_t index, int rootfd, int out, int err, const sigset_t *blocked) {
  const struct plan_app *app = &plan.apps[index];
  pid_t pid = fork();
  if (pid < 0) {
    die_errno("fork app \"%s\"", app->name);
  }
  if (pid > 0) {
    return pid;
  }
  setpgid(0, 0);
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
    die_errno("app \"%s\": set up stdin, stdout and stderr", app->name);
  }
  int keep = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
  close_fds_except(keep);
  /* stage1-nspawn's supervisor's order: cgroups, root-only isolators, the app's ids, the rest,
   * and the seccomp filter last (it allows execve). */
  guest_limits_join(app);
  isolators_before_setuid(app, restrict_caps);
  app_become(app, keep);
  isolators_before_exec(app, restrict_caps);
  sigprocmask(SIG_UNBLOCK, blocked, NULL);
  if (filter_syscalls) {
    seccomp_install(app);
  }
  execve(app->exec[0], app->exec, app->env);
  fprintf(stderr, "stage1-kvm: exec %s in app \"%s\": %s\n", app->exec[0], app->name,
          strerror(errno));
  _exit(FLY_EXIT_FAILURE);
}

static void send_control(int type, const char *text) {
  if (frame_write(control_fd, type, text, text ? strlen(text) : 0) != 0) {
    fprintf(stderr, "%s: write to the control port: %s\n", fly_program_name, strerror(errno));
  }
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    if (agent_reaped(pid, status)) {
      continue;
    }
    for (size_t a = 0; a < plan.napps; a++) {
      if (apps[a].pid == pid) {
        int code = exit_code_of(status);
        apps[a].pid = 0;
        apps[a].code = code;
        running--;
        write_status(&plan.apps[a], code);
        debugf("app \"%s\" exited with %d", plan.apps[a].name, code);
        if (code != 0 && !pod_failed) {
          pod_failed = 1;
          pod_code = code;
          signal_apps(SIGTERM);
        }
      }
    }
  }
}

/* No sync(): nothing of the pod lives in the guest, and every write to the share has already
 * gone through to the host (no writeback cache); a syncfs over virtio-fs would only make the
 * host flush its disks. */
static void power_off(void) {
  reboot(RB_POWER_OFF);
  _exit(0); /* not reached: the kernel panics when init exits, which ends the VM too */
}


int main(void) {
  fly_program_name = "stage1-kvm guest";
  mount_or_die("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  if (fcntl(2, F_GETFD) < 0) { /* the initramfs has no /dev/console for the kernel to open */
    int console = open("/dev/console", O_RDWR);
    for (int fd = 0; console >= 0 && fd <= 2; fd++) {
      if (fd != console) {
        dup2(console, fd);
      }
    }
  }
  buffer_stderr_until_the_port_opens();
  mount_or_die("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  mount_or_die("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  fly_debug_enabled = file_has_word("/proc/cmdline", "jrkt.debug");
  debugf("%ld ms since boot: init started", now_ms());
  load_modules(0);
  if (has_network_card()) {
    load_modules(1);
  }
  debugf("%ld ms since boot: modules loaded", now_ms());

  mount_pod_share();
  debugf("%ld ms since boot: pod directory mounted", now_ms());
  size_t hostname_size;
  char *hostname = read_file(KVM_HOSTNAME_FILE, &hostname_size);
  if (hostname == NULL || sethostname(hostname, hostname_size) != 0) {
    die_errno("set the hostname from %s", KVM_HOSTNAME_FILE);
  }
  guest_net_setup();
  struct vm_spec spec;
  spec_load(KVM_SPEC_PATH, &spec);
  plan_accepts_isolators = 1;
  plan_load(FLY_PLAN_PATH, &plan);
  restrict_caps = !file_has_word(KVM_INSECURE_FILE, "capabilities");
  filter_syscalls = !file_has_word(KVM_INSECURE_FILE, "seccomp");
  check_seccomp_filters();
  guest_limits_setup(&plan);
  mount_volume_shares(&spec);
  map_volume_sources(&spec);
  int *rootfds = calloc(plan.napps, sizeof *rootfds);
  int *out_ports = calloc(plan.napps, sizeof *out_ports);
  int *err_ports = calloc(plan.napps, sizeof *err_ports);
  apps = calloc(plan.napps, sizeof *apps);
  if (rootfds == NULL || out_ports == NULL || err_ports == NULL || apps == NULL) {
    die("out of memory");
  }
  for (size_t a = 0; a < plan.napps; a++) {
    guest_dns_mounts(&plan.apps[a]);
    rootfds[a] = mounts_prepare_app(&plan.apps[a]);
  }
  debugf("%ld ms since boot: apps' mounts ready", now_ms());

  const char *const port_names[] = {"stderr", "control", "agent"};
  const int port_flags[] = {O_WRONLY, O_RDWR, O_RDWR | O_NONBLOCK};
  int ports[3];
  open_ports(port_names, port_flags, ports, 3);
  /* From here on, this process's messages reach the pod's stderr. */
  attach_stderr(ports[0]);
  control_fd = ports[1];
  int agent_port = ports[2];
  open_app_ports(out_ports, err_ports);
  debugf("%ld ms since boot: ports open", now_ms());

  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGCHLD);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGHUP);
  sigprocmask(SIG_BLOCK, &blocked, NULL);
  int sigfd = signalfd(-1, &blocked, SFD_CLOEXEC);
  if (sigfd < 0) {
    die_errno("signalfd");
  }
  agent_init(agent_port, &plan, &blocked);
  for (size_t a = 0; a < plan.napps; a++) {
    apps[a].pid = start_app(a, rootfds[a], out_ports[a], err_ports[a], &blocked);
    close(rootfds[a]);
    close(out_ports[a]);
    close(err_ports[a]);
    running++;
  }
  send_control(FRAME_READY, NULL);
  debugf("%ld ms since boot: %zu app(s) started", now_ms(), plan.napps);

  int agent_hup = 0;
  long agent_recheck = 0;
  while (running > 0) {
    struct pollfd fds[5];
    int nfds = 0;
    fds[nfds++] = (struct pollfd){sigfd, POLLIN, 0};
    fds[nfds++] = (struct pollfd){control_fd, POLLIN, 0};
    int agent_slot = -1, out_slot = -1, err_slot = -1;
    if (!agent_hup || now_ms() >= agent_recheck) {
      agent_slot = nfds;
      fds[nfds++] = (struct pollfd){agent_port, POLLIN, 0};
    }
    if (agent_output(0) >= 0) {
      out_slot = nfds;
      fds[nfds++] = (struct pollfd){agent_output(0), POLLIN, 0};
    }
    if (agent_output(1) >= 0) {
      err_slot = nfds;
      fds[nfds++] = (struct pollfd){agent_output(1), POLLIN, 0};
    }
    /* An unconnected port reports POLLHUP until a host client comes: look again now and then. */
    int timeout = agent_hup ? AGENT_RECHECK_MS : -1;
    if (poll(fds, (nfds_t)nfds, timeout) < 0) {
      if (errno == EINTR) {
        continue;
      }
      die_errno("poll");
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sigfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGCHLD) {
        signal_apps((int)si.ssi_signo);
      }
      reap();
    }
    if (fds[1].revents & POLLIN) {
      struct frame f;
      if (frame_read(control_fd, &f) == 0) {
        if (f.type == FRAME_STOP) {
          debugf("stop requested by the host");
          signal_apps(SIGTERM);
        }
        free(f.payload);
      }
    }
    if (agent_slot >= 0) {
      struct frame f;
      if ((fds[agent_slot].revents & POLLIN) && frame_read(agent_port, &f) == 0) {
        agent_hup = 0;
        agent_request(&f);
        free(f.payload);
      } else if (fds[agent_slot].revents & (POLLHUP | POLLIN)) {
        /* No client (an unconnected port reads as end of stream): look again later. */
        agent_hup = 1;
        agent_recheck = now_ms() + AGENT_RECHECK_MS;
      }
    }
    if (out_slot >= 0 && fds[out_slot].revents) {
      agent_relay(0);
    }
    if (err_slot >= 0 && fds[err_slot].revents) {
      agent_relay(1);
    }
    agent_finish_if_done();
  }
  agent_stop();
  debugf("%ld ms since boot: all apps exited", now_ms());
  char code[16];
  snprintf(code, sizeof code, "%d", pod_code);
  send_control(FRAME_EXIT, code);
  power_off();
}
