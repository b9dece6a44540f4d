package io.jrkt.stage1.kvm;

import io.jrkt.stage1.Stage1Exception;
import java.util.Objects;
import java.util.Optional;

/**
 * The accelerator a VM pod gets, or why it gets none, from the operator's {@link KvmAccel}
 * setting and what the host offers. Pure: {@link #decide} is the whole policy.
 *
 * @param accel {@code kvm} or {@code tcg}; empty when the pod cannot run
 * @param reason why (a sentence fragment for messages, {@code --debug} and {@code status})
 */
public record AccelDecision(Optional<String> accel, String reason) {
  public AccelDecision {
    Objects.requireNonNull(accel, "accel");
    Objects.requireNonNull(reason, "reason");
    if (accel.isPresent() && !accel.get().equals("kvm") && !accel.get().equals("tcg")) {
      throw new IllegalArgumentException("accel must be kvm or tcg: " + accel.get());
    }
  }

  /**
   * @param setting what the operator allows
   * @param source the setting and where it came from, in words ({@code --kvm-accel=tcg})
   */
  public static AccelDecision decide(KvmAccel setting, String source, HostVirt host) {
    Optional<String> whyNotKvm = whyNotKvm(host);
    String from = source;
    switch (setting) {
      case TCG:
        return new AccelDecision(Optional.of("tcg"), "software emulation (TCG), as " + from
            + " asks");
      case KVM:
        return whyNotKvm.isEmpty()
            ? new AccelDecision(Optional.of("kvm"), "KVM is usable (" + modules(host) + ")")
            : new AccelDecision(Optional.empty(), "KVM is required (" + from + ") but "
                + whyNotKvm.get() + "; allow qemu's software emulation with --kvm-accel=tcg "
                + "or auto, or the stage1-kvm configuration's \"accel\"");
      case AUTO:
      default:
        return whyNotKvm.isEmpty()
            ? new AccelDecision(Optional.of("kvm"), "KVM is usable (" + modules(host) + ")")
            : new AccelDecision(Optional.of("tcg"), "software emulation (TCG), because "
                + whyNotKvm.get() + " and " + from + " allows the fallback");
    }
  }

  /** Why KVM cannot run this stage1's (unmodified Debian) kernel here; empty when it can. */
  static Optional<String> whyNotKvm(HostVirt host) {
    if (host.devKvmError().isPresent()) {
      return host.devKvmError();
    }
    boolean hardware = host.kvmModules().contains("kvm_intel")
        || host.kvmModules().contains("kvm_amd");
    if (!hardware && host.kvmModules().contains("kvm_pvm")) {
      return Optional.of("/dev/kvm comes from kvm_pvm (PVM nested virtualization), which boots "
          + "only kernels built for PVM guests, not the stage1's Debian kernel");
    }
    if (!hardware) {
      return Optional.of("neither kvm_intel nor kvm_amd is loaded");
    }
    if (!host.cpuVirtFlags()) {
      return Optional.of("the CPU advertises neither vmx nor svm");
    }
    return Optional.empty();
  }

  private static String modules(HostVirt host) {
    return String.join(", ", host.kvmModules());
  }

  /** The accelerator, or the failure as a one-line error. */
  public String require() throws Stage1Exception {
    return accel.orElseThrow(() -> new Stage1Exception("stage1-kvm: no accelerator: " + reason));
  }
}
