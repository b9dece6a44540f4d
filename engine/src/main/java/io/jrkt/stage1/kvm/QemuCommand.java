package io.jrkt.stage1.kvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of a pod's VM: qemu's, virtiofsd's and the guest kernel's. Pure functions of
 * a {@link VmConfig}; paths are relative to the pod directory (the stage1's cwd), except the
 * binaries and the shared directory.
 *
 * <p>The machine is qemu's {@code microvm} (no PCI, no firmware: the kernel's PVH entry point is
 * entered directly), with modern virtio-mmio devices: virtio-fs for the pod directory (tag
 * {@code pod}) and one virtio-serial bus with these ports: {@code stderr} (the guest init's
 * messages, on a connected socket passed as fd 100, which the run entrypoint copies to the pod's
 * stderr), {@code control} (a connected socket, fd 102),
 * {@code agent} (a socket in the pod directory, for {@code enter}) and, for the i-th app (from
 * 0), {@code out.<app>} and {@code err.<app>} on connected sockets passed as fds
 * {@link #appOutFd}(i) and {@link #appErrFd}(i): the run entrypoint decides where they lead
 * (journald under the app's name, or the pod's stdout and stderr). The serial console goes to
 * {@code vm/console.log}. The guest's memory is a shared memfd, which virtio-fs needs.
 */
public final class QemuCommand {
  public static final String KERNEL = "stage1/rootfs/kernel/vmlinux";
  public static final String INITRAMFS = "stage1/rootfs/kernel/initramfs";
  public static final String CONSOLE_LOG = "vm/console.log";
  public static final String FS_SOCKET = "vm/fs.sock";
  public static final String AGENT_SOCKET = "vm/agent.sock";
  static final int STDERR_FD = 100;
  /** The first app's stdout; its stderr is the next one, then the next app's. */
  static final int APP_FD_BASE = 200;
  /** The ports besides the apps': port 0 (qemu keeps it for a console), stderr, control, agent. */
  private static final int FIXED_PORTS = 4;
  static final int CONTROL_FD = 102;
  static final int VIRTIOFSD_LISTEN_FD = 3;

  private QemuCommand() {}

  /** The guest kernel's command line. */
  public static String kernelCmdline(VmConfig c) {
    List<String> words = new ArrayList<>(List.of("console=ttyS0", "quiet", "panic=-1",
        "pci=off"));
    // Without it about one TCG boot in six hangs calibrating the TSC against the PIT.
    c.tscKhz().ifPresent(khz -> words.add("tsc_early_khz=" + khz));
    // Without it a busy TCG host makes the clocksource watchdog find the TSC "unstable" about 2 s
    // into the boot, and the guest falls back to jiffies: 4 ms clock steps and no high-resolution
    // timers for the rest of the pod's life. (KVM guests use kvm-clock anyway.)
    words.add("tsc=reliable");
    // Debian's kernel zeroes every page and slab object it hands out (a hardening default):
    // the initramfs's page cache, the virtio-serial ports' receive buffers and the app's exec
    // pay for it, ~0.4 s of a TCG pod's boot. A pod's guest kernel serves that one pod, and its
    // memory comes zeroed from the host, so stale memory it could leak is the pod's own.
    words.add("init_on_alloc=0");
    if (c.debug()) {
      words.add("jrkt.debug");
    }
    return String.join(" ", words);
  }

  public static List<String> qemuArgv(VmConfig c) {
    String mem = c.resources().memoryMiB() + "M";
    List<String> a = new ArrayList<>();
    a.add(c.qemu());
    add(a, "-name", c.machineName());
    add(a, "-machine", "microvm,accel=" + c.accel() + ",memory-backend=mem");
    add(a, "-cpu", c.accel().equals("kvm") ? "host" : "max");
    add(a, "-smp", Integer.toString(c.resources().vcpus()));
    add(a, "-m", mem);
    add(a, "-object", "memory-backend-memfd,id=mem,size=" + mem + ",share=on");
    a.addAll(List.of("-nodefaults", "-no-user-config", "-nographic", "-no-reboot"));
    add(a, "-kernel", KERNEL);
    add(a, "-initrd", INITRAMFS);
    add(a, "-append", kernelCmdline(c));
    add(a, "-serial", "file:" + CONSOLE_LOG);
    add(a, "-global", "virtio-mmio.force-legacy=false");
    add(a, "-chardev", "socket,id=fs,path=" + FS_SOCKET);
    add(a, "-device", "vhost-user-fs-device,chardev=fs,tag=pod");
    for (int i = 1; i <= c.volumes().size(); i++) {
      add(a, "-chardev", "socket,id=vol" + i + ",path=" + volumeSocket(i));
      add(a, "-device", "vhost-user-fs-device,chardev=vol" + i + ",tag=" + volumeTag(i));
    }
    // Exactly as many ports as used: the guest sets up two virtqueues per possible port.
    add(a, "-device", "virtio-serial-device,max_ports=" + (FIXED_PORTS + 2 * c.apps().size()));
    port(a, "stderr", "stderr", "socket,id=stderr,fd=" + STDERR_FD);
    port(a, "control", "control", "socket,id=control,fd=" + CONTROL_FD);
    port(a, "agent", "agent", "socket,id=agent,path=" + AGENT_SOCKET + ",server=on,wait=off");
    for (int i = 0; i < c.apps().size(); i++) {
      String app = c.apps().get(i);
      port(a, "app" + i + "-out", "out." + app, "socket,id=app" + i + "-out,fd=" + appOutFd(i));
      port(a, "app" + i + "-err", "err." + app, "socket,id=app" + i + "-err,fd=" + appErrFd(i));
    }
    c.tap().ifPresent(tap -> {
      add(a, "-netdev", "tap,id=net0,ifname=" + tap + ",script=no,downscript=no");
      add(a, "-device", "virtio-net-device,netdev=net0");
    });
    return List.copyOf(a);
  }

  /**
   * virtiofsd serves the pod directory on a socket the run entrypoint already listens on at
   * {@link #FS_SOCKET} (fd 3), so that qemu and virtiofsd start side by side. The guest caches
   * everything ({@code cache=always}): while the pod runs, only the guest writes to the share.
   */
  public static List<String> virtiofsdArgv(VmConfig c) {
    return List.of(c.virtiofsd(), "--fd=" + VIRTIOFSD_LISTEN_FD, "-o", "source=" + c.hostPodDir(),
        "-o", "cache=always", "-o", "sandbox=namespace", "-o", "log_level=warn");
  }

  /** The virtio-fs tag of the i-th host volume (from 1). */
  public static String volumeTag(int i) {
    return "vol" + i;
  }

  /** The socket the i-th host volume's virtiofsd serves (from 1). */
  public static String volumeSocket(int i) {
    return "vm/" + volumeTag(i) + ".sock";
  }

  /**
   * The virtiofsd of the i-th host volume (from 1): like the pod directory's, but the host may
   * change a volume's files while the pod runs, so the guest caches only for a while.
   */
  public static List<String> volumeVirtiofsdArgv(VmConfig c, int i) {
    return List.of(c.virtiofsd(), "--fd=" + VIRTIOFSD_LISTEN_FD, "-o",
        "source=" + c.volumes().get(i - 1), "-o", "cache=auto", "-o", "sandbox=namespace", "-o",
        "log_level=warn");
  }

  /** The fd qemu finds the i-th app's stdout socket at (from 0). */
  public static int appOutFd(int i) {
    return APP_FD_BASE + 2 * i;
  }

  /** The fd qemu finds the i-th app's stderr socket at (from 0). */
  public static int appErrFd(int i) {
    return APP_FD_BASE + 2 * i + 1;
  }

  private static void port(List<String> a, String id, String name, String chardev) {
    add(a, "-chardev", chardev);
    add(a, "-device", "virtserialport,chardev=" + id + ",name=" + name);
  }

  private static void add(List<String> a, String option, String value) {
    a.add(option);
    a.add(value);
  }
}
