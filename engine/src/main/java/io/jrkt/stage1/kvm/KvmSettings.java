package io.jrkt.stage1.kvm;

import java.util.Objects;
import java.util.Optional;

/**
 * What a run or prepare says about VM pods: the accelerator setting and where it came from
 * ({@code --kvm-accel}, else the configuration, else the default {@code kvm}; {@code accelSource}
 * says it in words, e.g. {@code --kvm-accel=tcg}), the boot timeout,
 * and the pod's {@code --net} (empty for prepare: it is given at run-prepared).
 */
public record KvmSettings(KvmAccel accel, String accelSource, long bootTimeoutSeconds,
    Optional<String> net, boolean guestDebug) {
  /** Enough for a TCG boot on a busy host; a KVM boot takes well under a second. */
  public static final long DEFAULT_BOOT_TIMEOUT_SECONDS = 60;
  public static final KvmSettings DEFAULT = new KvmSettings(KvmAccel.KVM,
      "the default setting kvm",
      DEFAULT_BOOT_TIMEOUT_SECONDS, Optional.empty(), false);

  public KvmSettings {
    Objects.requireNonNull(accel, "accel");
    Objects.requireNonNull(accelSource, "accelSource");
    Objects.requireNonNull(net, "net");
    if (bootTimeoutSeconds < 1) {
      throw new IllegalArgumentException("boot timeout below 1 s: " + bootTimeoutSeconds);
    }
  }

  /**
   * @param flag {@code --kvm-accel} when given
   * @param guestDebug {@code --debug}: the guest's init reports its steps too
   */
  public static KvmSettings of(Optional<KvmAccel> flag, KvmConfig config, Optional<String> net,
      boolean guestDebug) {
    KvmAccel accel = KvmAccel.KVM;
    String source = "the default setting kvm";
    if (flag.isPresent()) {
      accel = flag.get();
      source = "--kvm-accel=" + accel.text();
    } else if (config.accel().isPresent()) {
      accel = config.accel().get().accel();
      source = "\"accel\": \"" + accel.text() + "\" in " + config.accel().get().file();
    }
    return new KvmSettings(accel, source,
        config.bootTimeoutSeconds().orElse(DEFAULT_BOOT_TIMEOUT_SECONDS), net, guestDebug);
  }

  /** Whether the pod asks for the host's network, which a VM cannot share. */
  public boolean hostNetwork() {
    return net.isPresent() && net.get().equals("host");
  }
}
