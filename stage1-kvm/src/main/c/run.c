/*
 * run: starts the pod's VM as stage0 planned it in the VM spec and supervises it.
 *
 *   jrkt run --exec--> /run (this process, pid in `ppid`, holds the pod lock)
 *                        |-- virtiofsd (shares the pod directory with the guest)
 *                        `-- qemu       (pid in `pid`)
 *
 * Both children die with this process (PR_SET_PDEATHSIG). The guest reports on the control
 * port (one end of a socket pair, handed to qemu as a connected chardev, so nothing the guest
 * says can be missed): READY once the apps run,
 * then the pod's EXIT code before it powers off. SIGTERM, SIGINT and SIGHUP become a STOP for
 * the guest. The pod's exit status is the guest's EXIT; a VM that ends without one (killed,
 * crashed, guest init failed) or does not report READY within the boot timeout is a failure
 * (254) with a message naming what happened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kvm.h"

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void write_pid_file(const char *name, pid_t pid) {
  char value[16];
  snprintf(value, sizeof value, "%d", (int)pid);
  if (write_file_atomic(name, value) != 0) {
    die_errno("write %s", name);
  }
}

/* Checks the parts the VM needs before anything starts: one line naming the missing part. */
static void preflight(const struct vm_spec *spec) {
  if (access(spec->qemu[0], X_OK) != 0) {
    die("qemu missing: cannot execute %s: %s", spec->qemu[0], strerror(errno));
  }
  if (access(spec->virtiofsd[0], X_OK) != 0) {
    die("virtiofsd missing: cannot execute %s: %s", spec->virtiofsd[0], strerror(errno));
  }
  for (size_t i = 0; spec->qemu[i] != NULL; i++) {
    if ((strcmp(spec->qemu[i], "-kernel") == 0 || strcmp(spec->qemu[i], "-initrd") == 0) &&
        spec->qemu[i + 1] != NULL && access(spec->qemu[i + 1], R_OK) != 0) {
      die("%s missing: cannot read %s: %s",
          spec->qemu[i][1] == 'k' ? "kernel" : "initramfs", spec->qemu[i + 1], strerror(errno));
    }
  }
  if (strcmp(spec->accel, "kvm") == 0) {
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      die("KVM acceleration planned but /dev/kvm cannot be opened: %s", strerror(errno));
    }
    close(fd);
  }
}

/* The guest sees the whole pod directory through virtiofsd, the kernel's directory included,
 * whose files are hard links to the tree store's in a pod without overlays. In a mount
 * namespace of this process's own, which virtiofsd and qemu inherit and which ends with them,
 * that directory is read-only: the guest cannot change the store's kernel. (For an overlay pod
 * the namespace is nested in the one of the overlays; stop and enter join it.) */
static void kernel_read_only(void) {
  if (unshare(CLONE_NEWNS) != 0) {
    die_errno("unshare the mount namespace");
  }
  /* Host mounts still propagate in, nothing propagates out. */
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) {
    die_errno("make the mounts slaves");
  }
  if (mount(KVM_KERNEL_DIR, KVM_KERNEL_DIR, NULL, MS_BIND, NULL) != 0 ||
      mount(NULL, KVM_KERNEL_DIR, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
            NULL) != 0) {
    die_errno("make %s read-only", KVM_KERNEL_DIR);
  }
}

/* A host volume every mount of which is read-only is read-only at its source too, in the same
 * namespace: virtiofsd serves it from there, so not even the guest's kernel can write it (the
 * guest's read-only binds are the first line). Mounts below it, for a recursive volume, are
 * made read-only with it. */
static void volumes_read_only(const struct vm_spec *spec) {
  for (size_t v = 0; v < spec->nvolumes; v++) {
    const char *dir = spec->volumes[v].host_path;
    if (!spec->volumes[v].read_only) {
      continue;
    }
    if (mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) != 0) {
      die_errno("bind host volume %s read-only", dir);
    }
    struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    if (mount_setattr(AT_FDCWD, dir, AT_RECURSIVE, &attr, sizeof attr) != 0) {
      if (errno != ENOSYS ||
          mount(NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0) {
        die_errno("make host volume %s read-only", dir);
      }
    }
    debugf("host volume %s shared read-only", dir);
  }
}

/* In a child: dies with the parent, output to log (or the pod's own when NULL). */
static void child_setup(const char *log, int lock_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0) {
    die_errno("stdin of a VM process");
  }
  if (log != NULL) {
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
      die_errno("open %s", log);
    }
  }
  close(lock_fd);
}

/* virtiofsd gets a socket already listening at KVM_FS_SOCKET: qemu connects at once, and both
 * start side by side. */
static pid_t start_virtiofsd(char **argv, const char *socket_path, const char *log,
                             int lock_fd) {
  unlink(socket_path);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path);
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      listen(listener, 1) != 0) {
    die_errno("listen on %s for virtiofsd", socket_path);
  }
  pid_t pid = fork();
  if (pid < 0) {
    die_errno("fork virtiofsd");
  }
  if (pid == 0) {
    child_setup(log, lock_fd);
    if (dup2(listener, KVM_VIRTIOFSD_LISTEN_FD) < 0) {
      die_errno("pass the listening socket to virtiofsd");
    }
    for (int fd = 3; fd < 1024; fd++) {
      if (fd != KVM_VIRTIOFSD_LISTEN_FD) {
        close(fd);
      }
    }
    execv(argv[0], argv);
    die_errno("exec %s", argv[0]);
  }
  close(listener);
  debugf("virtiofsd %d started for %s", (int)pid, socket_path);
  return pid;
}

/* The spec's qemu argv, plus a NIC on each tap device (fds KVM_QEMU_TAP_FD, +1, ...): their
 * MACs are the pod interfaces', known only now that the pod's networks exist. */
static char **qemu_argv(const struct vm_spec *spec, const struct vm_nic *nics, size_t nnics) {
  size_t n = 0;
  while (spec->qemu[n] != NULL) {
    n++;
  }
  char **argv = calloc(n + 4 * nnics + 1, sizeof *argv);
  if (argv == NULL) {
    die("out of memory");
  }
  memcpy(argv, spec->qemu, n * sizeof *argv);
  for (size_t i = 0; i < nnics; i++) {
    char *netdev, *device;
    if (asprintf(&netdev, "tap,id=net%zu,fd=%zu", i, KVM_QEMU_TAP_FD + i) < 0 ||
        asprintf(&device, "virtio-net-device,netdev=net%zu,mac=%s", i, nics[i].mac) < 0) {
      die("out of memory");
    }
    argv[n++] = "-netdev";
    argv[n++] = netdev;
    argv[n++] = "-device";
    argv[n++] = device;
  }
  return argv;
}

/* In qemu's child: each of the n fds src[i] becomes dst[i], every other fd from 3 on is closed.
 * The sources are first moved above every target, so that no dup2 overwrites a later source. */
static void place_fds(int *src, const int *dst, size_t n) {
  int top = 2;
  for (size_t i = 0; i < n; i++) {
    top = dst[i] > top ? dst[i] : top;
  }
  for (size_t i = 0; i < n; i++) {
    src[i] = fcntl(src[i], F_DUPFD, top + 1);
    if (src[i] < 0) {
      die_errno("pass the VM's sockets to qemu");
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (dup2(src[i], dst[i]) < 0) {
      die_errno("pass the VM's sockets to qemu");
    }
  }
  for (int fd = 3; fd <= top + (int)n + 64 || fd < 1024; fd++) {
    int keep = 0;
    for (size_t i = 0; i < n && !keep; i++) {
      keep = fd == dst[i];
    }
    if (!keep) {
      close(fd);
    }
  }
}

static pid_t start_qemu(const struct vm_spec *spec, int lock_fd, int *control,
                        const struct vm_nic *nics, size_t nnics, struct app_output *outputs) {
  char **argv = qemu_argv(spec, nics, nnics);
  unlink(KVM_AGENT_SOCKET);
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    die_errno("socketpair for the control channel");
  }
  pid_t pid = fork();
  if (pid < 0) {
    die_errno("fork qemu");
  }
  if (pid == 0) {
    child_setup(NULL, lock_fd);
    size_t n = 0, max = 2 + nnics + 2 * spec->noutputs;
    int *src = calloc(max, sizeof *src), *dst = calloc(max, sizeof *dst);
    if (src == NULL || dst == NULL) {
      die("out of memory");
    }
    /* The guest init's "stderr" port, relayed to the pod's stderr. */
    src[n] = outputs[spec->noutputs].qemu_fd[1];
    dst[n++] = KVM_QEMU_STDERR_FD;
    src[n] = pair[1];
    dst[n++] = KVM_QEMU_CONTROL_FD;
    for (size_t i = 0; i < nnics; i++) {
      src[n] = nics[i].tap;
      dst[n++] = KVM_QEMU_TAP_FD + (int)i;
    }
    for (size_t a = 0; a < spec->noutputs; a++) {
      src[n] = outputs[a].qemu_fd[0];
      dst[n++] = spec->outputs[a].out_fd;
      src[n] = outputs[a].qemu_fd[1];
      dst[n++] = spec->outputs[a].err_fd;
    }
    place_fds(src, dst, n);
    execv(argv[0], argv);
    die_errno("exec %s", argv[0]);
  }
  close(pair[1]);
  for (size_t i = 0; i < nnics; i++) {
    close(nics[i].tap);
  }
  output_close_qemu_ends(outputs, spec->noutputs + 1);
  *control = pair[0];
  return pid;
}

/* virtiofsd holds no state worth a clean exit (every guest write went through to the host at
 * once) and lingers on SIGTERM: it is killed outright. */
static void stop_virtiofsd(pid_t *pids, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (pids[i] > 0) {
      kill(pids[i], SIGKILL);
      wait_child(pids[i], NULL);
    }
  }
  unlink(KVM_FS_SOCKET);
}

static const char *how_it_ended(int status, char *buf, size_t size) {
  if (WIFSIGNALED(status)) {
    snprintf(buf, size, "qemu was killed by signal %d", WTERMSIG(status));
  } else {
    snprintf(buf, size, "qemu exited with %d", WEXITSTATUS(status));
  }
  return buf;
}

int kvm_run_main(int argc, char **argv) {
  struct run_flags flags;
  parse_run_flags(argc, argv, &flags);
  int lock_fd = lock_fd_from_env();
  close_fds_except(lock_fd);
  if (flags.net != NULL && strcmp(flags.net, "host") == 0) {
    die("--net=host: a VM cannot share the host's network");
  }
  struct vm_spec spec;
  spec_load(KVM_SPEC_PATH, &spec);
  preflight(&spec);
  write_flavor_link("kvm");
  if (mkdir(KVM_RUNTIME_DIR, 0700) != 0 && errno != EEXIST) {
    die_errno("create %s", KVM_RUNTIME_DIR);
  }
  char hostname[256];
  snprintf(hostname, sizeof hostname, "%s%s", flags.hostname ? "" : "rkt-",
           flags.hostname ? flags.hostname : flags.uuid);
  if (write_file_atomic(KVM_HOSTNAME_FILE, hostname) != 0) {
    die_errno("write %s", KVM_HOSTNAME_FILE);
  }
  char insecure[32];
  snprintf(insecure, sizeof insecure, "%s%s", flags.disable_caps ? "capabilities\n" : "",
           flags.disable_seccomp ? "seccomp\n" : "");
  if (write_file_atomic(KVM_INSECURE_FILE, insecure) != 0) {
    die_errno("write %s", KVM_INSECURE_FILE);
  }
  kvm_dns_prepare(hostname, flags.dns_conf_mode);
  long t0 = now_ms();
  debugf("accelerator %s, boot timeout %ld ms", spec.accel, spec.boot_timeout_ms);

  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigprocmask(SIG_BLOCK, &handled, NULL);
  int sigfd = signalfd(-1, &handled, SFD_CLOEXEC);
  if (sigfd < 0) {
    die_errno("signalfd");
  }
  kernel_read_only();
  volumes_read_only(&spec);
  write_pid_file("ppid", getpid());
  signal(SIGPIPE, SIG_IGN); /* a closed stdout must not end /run: the apps' output is dropped */
  /* virtiofsd[0] serves the pod directory, virtiofsd[1..] the host volumes. */
  size_t nshares = 1 + spec.nvolumes;
  pid_t *virtiofsd = calloc(nshares, sizeof *virtiofsd);
  if (virtiofsd == NULL) {
    die("out of memory");
  }
  virtiofsd[0] = start_virtiofsd(spec.virtiofsd, KVM_FS_SOCKET, KVM_VIRTIOFSD_LOG, lock_fd);
  write_pid_file(KVM_VIRTIOFSD_PID, virtiofsd[0]);
  for (size_t v = 0; v < spec.nvolumes; v++) {
    char socket_path[256], log[256];
    snprintf(socket_path, sizeof socket_path, "%s/%s.sock", KVM_RUNTIME_DIR, spec.volumes[v].tag);
    snprintf(log, sizeof log, "%s/%s.log", KVM_RUNTIME_DIR, spec.volumes[v].tag);
    virtiofsd[1 + v] = start_virtiofsd(spec.volumes[v].virtiofsd, socket_path, log, lock_fd);
  }
  /* virtiofsd stays in the host's namespace; qemu starts in the pod's. */
  unlink(KVM_NET_FILE);
  struct vm_nic nics[KVM_MAX_NICS];
  size_t nnics = kvm_net_setup(flags.net, nics, KVM_MAX_NICS);
  struct app_output *outputs = output_setup(&spec);
  int control;
  pid_t qemu = start_qemu(&spec, lock_fd, &control, nics, nnics, outputs);
  write_pid_file("pid", qemu);
  long started = now_ms();
  long boot_deadline = started + spec.boot_timeout_ms;
  debugf("+%ld ms: qemu %d started", now_ms() - t0, (int)qemu);

  int ready = 0, have_exit = 0, exit_code = 0, stop_pending = 0, qemu_status = 0;
  int qemu_running = 1, control_open = 1, timed_out = 0, virtiofsd_status = 0;
  long virtiofsd_deadline = 0;
  /* fds: the signals, the control channel, then each app's stdout and stderr relay (-1 when the
   * journal has it: poll skips negative fds), then the guest's own stderr. */
  size_t nrelays = spec.noutputs + 1, nfds = 2 + 2 * nrelays;
  struct pollfd *fds = calloc(nfds, sizeof *fds);
  if (fds == NULL) {
    die("out of memory");
  }
  while (qemu_running) {
    fds[0] = (struct pollfd){sigfd, POLLIN, 0};
    fds[1] = (struct pollfd){control_open ? control : -1, POLLIN, 0};
    for (size_t a = 0; a < nrelays; a++) {
      for (int s = 0; s < 2; s++) {
        fds[2 + 2 * a + s] = (struct pollfd){outputs[a].relay_fd[s], POLLIN, 0};
      }
    }
    if (virtiofsd_deadline > 0 && now_ms() >= virtiofsd_deadline) {
      fprintf(stderr, "stage1-kvm: virtiofsd exited with %d while the VM ran (see %s); qemu is "
              "killed\n", exit_code_of(virtiofsd_status), KVM_VIRTIOFSD_LOG);
      kill(qemu, SIGKILL);
      virtiofsd_deadline = 0;
    }
    long deadline = ready ? -1 : boot_deadline;
    if (virtiofsd_deadline > 0 && (deadline < 0 || virtiofsd_deadline < deadline)) {
      deadline = virtiofsd_deadline;
    }
    int timeout = -1;
    if (deadline >= 0) {
      long left = deadline - now_ms();
      timeout = left > 0 ? (int)left : 0;
    }
    int n = poll(fds, (nfds_t)nfds, timeout);
    if (n < 0 && errno != EINTR) {
      die_errno("poll");
    }
    if (n == 0 && !ready && now_ms() >= boot_deadline) {
      timed_out = 1;
      kill(qemu, SIGKILL);
      wait_child(qemu, &qemu_status);
      break;
    }
    for (size_t a = 0; n > 0 && a < nrelays; a++) {
      for (int s = 0; s < 2; s++) {
        if (fds[2 + 2 * a + s].fd >= 0 && fds[2 + 2 * a + s].revents) {
          output_relay(&outputs[a], s);
        }
      }
    }
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sigfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          int status;
          pid_t pid;
          while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == qemu) {
              qemu_status = status;
              qemu_running = 0;
            } else {
              for (size_t v = 0; v < nshares; v++) {
                if (pid == virtiofsd[v]) {
                  /* It also ends when qemu, exiting, closes the connection: give qemu a moment. */
                  virtiofsd[v] = -1;
                  virtiofsd_status = status;
                  virtiofsd_deadline = now_ms() + 1000;
                }
              }
            }
          }
        } else if (control_open) {
          debugf("signal %d: asking the guest to stop the apps", (int)si.ssi_signo);
          if (ready) {
            frame_write(control, FRAME_STOP, NULL, 0);
          } else {
            stop_pending = 1;
          }
        }
      }
    }
    if (control_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      struct frame f;
      if (frame_read(control, &f) != 0) {
        control_open = 0;
        continue;
      }
      if (f.type == FRAME_READY) {
        ready = 1;
        debugf("+%ld ms: the guest started the apps, %ld ms after qemu", now_ms() - t0,
               now_ms() - started);
        if (stop_pending) {
          frame_write(control, FRAME_STOP, NULL, 0);
        }
      } else if (f.type == FRAME_EXIT) {
        debugf("+%ld ms: the guest reported the pod's exit status %s", now_ms() - t0, f.payload);
        long code = parse_decimal(f.payload, 255);
        have_exit = 1;
        exit_code = code < 0 ? FLY_EXIT_FAILURE : (int)code;
      } else if (f.type == FRAME_MESSAGE) {
        fprintf(stderr, "%s\n", f.payload);
      }
      free(f.payload);
    }
  }
  debugf("+%ld ms: qemu ended", now_ms() - t0);
  output_drain(outputs, nrelays);
  stop_virtiofsd(virtiofsd, nshares);
  for (size_t v = 0; v < spec.nvolumes; v++) {
    char socket_path[256];
    snprintf(socket_path, sizeof socket_path, "%s/%s.sock", KVM_RUNTIME_DIR, spec.volumes[v].tag);
    unlink(socket_path);
  }
  unlink(KVM_AGENT_SOCKET);
  char how[128];
  if (timed_out) {
    fprintf(stderr,
            "stage1-kvm: the VM did not start the apps within %ld ms (accelerator %s); qemu "
            "was killed (kernel console: %s)\n",
            spec.boot_timeout_ms, spec.accel, KVM_CONSOLE_LOG);
    return FLY_EXIT_FAILURE;
  }
  if (!have_exit) {
    fprintf(stderr,
            "stage1-kvm: the VM ended without reporting the pod's exit status: %s%s (kernel "
            "console: %s)\n",
            how_it_ended(qemu_status, how, sizeof how),
            ready ? "" : ", before the apps started", KVM_CONSOLE_LOG);
    return FLY_EXIT_FAILURE;
  }
  debugf("+%ld ms: the VM ended (%s); pod exit status %d", now_ms() - t0,
         how_it_ended(qemu_status, how, sizeof how), exit_code);
  return exit_code;
}
