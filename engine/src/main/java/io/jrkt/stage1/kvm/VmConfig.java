package io.jrkt.stage1.kvm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the qemu and virtiofsd command lines of one pod depend on.
 *
 * @param qemu the qemu-system-x86_64 binary
 * @param virtiofsd the virtiofsd binary
 * @param accel {@code kvm} or {@code tcg}
 * @param machineName qemu's {@code -name} (rkt-&lt;uuid&gt;)
 * @param hostPodDir the pod directory on the host while it runs (shared with the guest)
 * @param tscKhz the host's TSC frequency for the guest's early calibration, when known
 * @param debug the guest's init reports its steps on the pod's stderr
 * @param tap a tap device in the pod's network namespace, when the pod has a network
 * @param volumes host directories of the pod's host volumes, each shared into the VM as the
 *     virtio-fs tag {@code vol<N>} (N from 1, in this order)
 * @param apps the pod's app names, in the run plan's order: each gets its own virtio-serial
 *     ports for stdout and stderr
 */
public record VmConfig(String qemu, String virtiofsd, String accel, VmResources resources,
    String machineName, String hostPodDir, OptionalLong tscKhz, boolean debug,
    Optional<String> tap, List<String> volumes, List<String> apps) {
  /** At most this many apps: two ports each, and virtio-serial has at most 511 ports. */
  public static final int MAX_APPS = 250;

  /** Without apps (no app output ports). */
  public VmConfig(String qemu, String virtiofsd, String accel, VmResources resources,
      String machineName, String hostPodDir, OptionalLong tscKhz, boolean debug,
      Optional<String> tap, List<String> volumes) {
    this(qemu, virtiofsd, accel, resources, machineName, hostPodDir, tscKhz, debug, tap,
        volumes, List.of());
  }

  /** Without host volumes nor apps. */
  public VmConfig(String qemu, String virtiofsd, String accel, VmResources resources,
      String machineName, String hostPodDir, OptionalLong tscKhz, boolean debug,
      Optional<String> tap) {
    this(qemu, virtiofsd, accel, resources, machineName, hostPodDir, tscKhz, debug, tap,
        List.of());
  }

  public VmConfig {
    volumes = List.copyOf(volumes);
    apps = List.copyOf(apps);
    if (apps.size() > MAX_APPS) {
      throw new IllegalArgumentException("a VM pod has at most " + MAX_APPS + " apps, not "
          + apps.size());
    }
    for (String app : apps) {
      // The name becomes part of a port name in qemu's comma-separated option syntax.
      if (!app.matches("[a-z0-9][a-z0-9._~/-]*")) {
        throw new IllegalArgumentException("bad app name " + app);
      }
    }
    for (String v : volumes) {
      if (!v.startsWith("/") || v.contains(",")) {
        throw new IllegalArgumentException("host volume " + v + " must be an absolute path "
            + "without commas (qemu's and virtiofsd's option syntax cannot carry them)");
      }
    }
    Objects.requireNonNull(qemu, "qemu");
    Objects.requireNonNull(virtiofsd, "virtiofsd");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(machineName, "machineName");
    Objects.requireNonNull(tscKhz, "tscKhz");
    Objects.requireNonNull(tap, "tap");
    if (!accel.equals("kvm") && !accel.equals("tcg")) {
      throw new IllegalArgumentException("accel must be kvm or tcg: " + accel);
    }
    if (!hostPodDir.startsWith("/")) {
      throw new IllegalArgumentException("the pod directory must be absolute: " + hostPodDir);
    }
    // virtiofsd's -o and qemu's option lists are comma-separated, with no escape that both take.
    if (hostPodDir.contains(",")) {
      throw new IllegalArgumentException("the pod directory " + hostPodDir
          + " has a comma, which qemu's and virtiofsd's option syntax cannot carry");
    }
    if (!machineName.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("bad machine name " + machineName);
    }
    if (tap.isPresent() && !tap.get().matches("[A-Za-z0-9._-]{1,15}")) {
      throw new IllegalArgumentException("bad tap device name " + tap.get());
    }
  }
}
