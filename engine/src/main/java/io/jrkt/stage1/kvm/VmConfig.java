package io.jrkt.stage1.kvm;

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
 */
public record VmConfig(String qemu, String virtiofsd, String accel, VmResources resources,
    String machineName, String hostPodDir, OptionalLong tscKhz, boolean debug,
    Optional<String> tap) {
  public VmConfig {
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
