package io.jrkt.stage1.kvm;

import java.util.List;
import java.util.OptionalLong;

/**
 * The size of a pod's VM. Memory is the sum of the apps' {@code resource/memory} limits, with
 * {@link #APP_DEFAULT_MIB} for an app without one, plus {@link #OVERHEAD_MIB} for the guest
 * kernel and init (rkt's KVM flavor's rule). vCPUs are the sum of the apps' {@code resource/cpu}
 * limits rounded up to whole cores, one for an app without one, at least one and at most the
 * host's CPUs.
 */
public record VmResources(long memoryMiB, int vcpus) {
  public static final long APP_DEFAULT_MIB = 128;
  public static final long OVERHEAD_MIB = 128;
  private static final long MIB = 1L << 20;

  public VmResources {
    if (memoryMiB < OVERHEAD_MIB) {
      throw new IllegalArgumentException("VM memory below " + OVERHEAD_MIB + " MiB: " + memoryMiB);
    }
    if (vcpus < 1) {
      throw new IllegalArgumentException("a VM needs a vCPU: " + vcpus);
    }
  }

  /** One app's limits, as its isolators give them. */
  public record AppLimits(OptionalLong memoryBytes, OptionalLong cpuMillis) {}

  public static VmResources of(List<AppLimits> apps, int hostCpus) {
    if (apps.isEmpty()) {
      throw new IllegalArgumentException("a pod without apps");
    }
    long memory = OVERHEAD_MIB;
    long cpus = 0;
    for (AppLimits a : apps) {
      memory += a.memoryBytes().isPresent() ? (a.memoryBytes().getAsLong() + MIB - 1) / MIB
          : APP_DEFAULT_MIB;
      cpus += a.cpuMillis().isPresent() ? (a.cpuMillis().getAsLong() + 999) / 1000 : 1;
    }
    int vcpus = (int) Math.max(1, Math.min(cpus, Math.max(1, hostCpus)));
    return new VmResources(memory, vcpus);
  }
}
