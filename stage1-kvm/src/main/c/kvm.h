/*
 * stage1-kvm: each pod runs in its own qemu virtual machine with its own kernel.
 *
 * Two static binaries share this header:
 *  - the host side (/run, /enter, /stop, /gc in the stage1 image: one binary, hard-linked),
 *    which starts virtiofsd and qemu as stage0 planned them in the VM spec and supervises them;
 *  - the guest side (/init of the initramfs), which mounts the pod directory shared over
 *    virtiofs, runs the apps as stage1-nspawn's supervisor does, and answers the host over two
 *    virtio-serial ports.
 * The run plan parser, the safe mount code and the helpers are stage1-fly's (fly.h).
 */
#ifndef KVM_H
#define KVM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fly.h"

/* The VM spec stage0 writes for this flavor, relative to the pod directory. */
#define KVM_SPEC_PATH "stage1/rootfs/rkt/vm"
/* The pod's VM runtime files (sockets, logs), relative to the pod directory. */
/* The guest kernel and initramfs; read-only for the VM's processes (see run.c). */
#define KVM_KERNEL_DIR "stage1/rootfs/kernel"
#define KVM_RUNTIME_DIR "vm"
#define KVM_AGENT_SOCKET "vm/agent.sock"
#define KVM_FS_SOCKET "vm/fs.sock"
#define KVM_CONSOLE_LOG "vm/console.log"
#define KVM_VIRTIOFSD_LOG "vm/virtiofsd.log"
#define KVM_VIRTIOFSD_PID "vm/virtiofsd.pid"
/* The pod's hostname (--hostname, else rkt-<uuid>), which the guest sets. */
#define KVM_HOSTNAME_FILE "vm/hostname"
/* What the guest leaves unrestricted in every app, as /run's flags ask, one word a line:
 * "capabilities" (--disable-capabilities-restriction), "seccomp" (--disable-seccomp). */
#define KVM_INSECURE_FILE "vm/insecure"
/* The guest's network set-up, one directive a line, in this order per network; absent: no NIC.
 *   nic IFNAME MAC                      the NIC with this MAC becomes IFNAME (ethN)
 *   addr IFNAME ADDRESS PREFIX          an IPv4 or IPv6 address
 *   route IFNAME DEST PREFIX GATEWAY    a route ("-": no gateway); 0.0.0.0 0 or :: 0: default */
#define KVM_NET_FILE "vm/net"
/* The apps' hostname, hosts and resolv.conf (dns.c), bound over theirs by the guest. */
#define KVM_DNS_DIR "vm/dns"
/* The tap devices in the pod's network namespace (tapN for ethN), and the fd qemu gets the
 * first on (the next ones follow). */
#define KVM_TAP_PREFIX "tap"
#define KVM_QEMU_TAP_FD 103
#define KVM_MAX_NICS 16
/* qemu finds the socket of the guest init's own messages (relayed to the pod's stderr) at this
 * fd. The apps' output ports have fds of their own (the spec's "output" entries). */
#define KVM_QEMU_STDERR_FD 100
/* qemu's end of the control channel (a connected socket; its -chardev names the fd). */
#define KVM_QEMU_CONTROL_FD 102
/* virtiofsd's listening socket (bound at KVM_FS_SOCKET by /run; its --fd names it), so that qemu
 * can connect while virtiofsd is still starting. */
#define KVM_VIRTIOFSD_LISTEN_FD 3

/* ---- spec.c: the VM spec (NUL-separated strings, like the run plan) ---- */

/* A host volume's virtio-fs share: its virtiofsd serves vm/<tag>.sock. */
struct vm_volume {
  const char *tag;
  const char *host_path;
  char **virtiofsd; /* NULL-terminated argv */
  int read_only;    /* every mount of it is read-only: served from a read-only bind */
};

/* An app's output ports: qemu takes the sockets behind its stdout and stderr at these fds. */
struct vm_output {
  const char *app;
  int out_fd;
  int err_fd;
};

struct vm_spec {
  const char *accel;        /* "kvm" or "tcg" */
  long boot_timeout_ms;     /* from qemu's start to the guest's "ready" */
  const char *host_pod_dir; /* the pod directory's path on the host while it runs */
  char **virtiofsd;         /* NULL-terminated argv */
  size_t nvolumes;
  struct vm_volume *volumes;
  size_t noutputs;
  struct vm_output *outputs; /* in the run plan's order */
  char **qemu;              /* NULL-terminated argv */
};

/* Reads and checks the spec; dies naming the file and the entry on error. */
void spec_load(const char *path, struct vm_spec *spec);

/* ---- proto.c: frames on the virtio-serial ports ----
 * A frame is one type byte, a 4-byte little-endian payload length and the payload.
 * control port, guest to host: READY (apps started), EXIT (pod exit code, decimal), MESSAGE
 * (a line for the pod's stderr); host to guest: STOP.
 * agent port, host to guest: COMMAND (app NUL arg0 NUL arg1 ...); guest to host: ACCEPTED
 * (what follows is this command's), OUT and ERR (the command's output), EXIT (its exit code,
 * decimal). qemu serves one agent client at a time, so a COMMAND means the previous client is
 * gone: its command is killed, and what it wrote before is ignored by the new client, which
 * reads nothing before ACCEPTED. */
enum {
  FRAME_READY = 'R',
  FRAME_EXIT = 'X',
  FRAME_MESSAGE = 'M',
  FRAME_STOP = 'S',
  FRAME_COMMAND = 'C',
  FRAME_OUT = 'O',
  FRAME_ERR = 'E',
  FRAME_ACCEPTED = 'A',
};
#define FRAME_MAX_PAYLOAD (1u << 20)

struct frame {
  int type;
  uint32_t length;
  char *payload; /* malloc'd, NUL-terminated beyond length */
};

/* Writes one frame (all of it); -1 and errno on failure. */
int frame_write(int fd, int type, const void *payload, size_t length);
/* Reads one frame; 0 on success, -1 at end of stream or on error (errno 0 at a clean end). */
int frame_read(int fd, struct frame *frame);

/* ---- the host entrypoints ---- */

int kvm_run_main(int argc, char **argv);
int kvm_enter_main(int argc, char **argv);
int kvm_stop_main(int argc, char **argv);
int kvm_gc_main(int argc, char **argv);

/* A NIC of the VM: its tap device's fd and the MAC of the pod interface it stands for. */
struct vm_nic {
  int tap;
  char mac[18];
};
/* net.c: joins the pod's network namespace, creates a tap device connected to each of its
 * ethN and writes KVM_NET_FILE; returns the number of NICs (0: none, no file). */
size_t kvm_net_setup(const char *net_flag, struct vm_nic *nics, size_t max);
/* output.c: each app's stdout and stderr reach qemu as one end of a socket pair each, whose other
 * end /run copies to one journald stream per app, named after it, when the pod runs in a unit
 * that logs to the journal (as stage1-nspawn does), or else to its own stdout and stderr. */
struct app_output {
  const char *app;
  int qemu_fd[2];  /* what qemu gets at the spec's out_fd and err_fd */
  int relay_fd[2]; /* /run's ends for stdout and stderr (-1 once closed) */
  int sink[2];     /* where each goes: a journald stream, or /run's stdout or stderr */
};
/* Sets up every app's output, in the spec's order, then (one more entry, app NULL) the relay of
 * the guest init's own stderr port; dies on a failure to make a socket. */
struct app_output *output_setup(const struct vm_spec *spec);
/* After qemu started: closes qemu's ends. */
void output_close_qemu_ends(struct app_output *outputs, size_t n);
/* Copies what one relay end (stream 0: stdout, 1: stderr) has to its sink; closes it at its end.
 * Returns 0 while it stays open. */
int output_relay(struct app_output *o, int stream);
/* Copies everything left until qemu's ends are closed (qemu has exited). */
void output_drain(struct app_output *outputs, size_t n);
/* dns.c: writes KVM_DNS_DIR for --dns-conf-mode (NULL: both default); dies on a bad mode. */
void kvm_dns_prepare(const char *hostname, const char *conf_mode);

#endif
