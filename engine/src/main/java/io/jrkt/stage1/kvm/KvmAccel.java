package io.jrkt.stage1.kvm;

import io.jrkt.stage1.ArgsException;
import java.util.Locale;

/**
 * Which accelerator a VM pod may use, as the operator allows it: {@code kvm} (the default)
 * requires KVM, {@code tcg} always uses qemu's software emulation, {@code auto} uses KVM when it
 * is usable and falls back to TCG otherwise. Never silent: the outcome and its reason are shown.
 */
public enum KvmAccel {
  KVM, TCG, AUTO;

  /** The setting's spelling: {@code kvm}, {@code tcg} or {@code auto}. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a setting; {@code what} names where it came from, for the message. */
  public static KvmAccel parse(String what, String value) throws ArgsException {
    for (KvmAccel a : values()) {
      if (a.text().equals(value)) {
        return a;
      }
    }
    throw new ArgsException(what + "=" + value + ": must be auto, kvm or tcg");
  }
}
