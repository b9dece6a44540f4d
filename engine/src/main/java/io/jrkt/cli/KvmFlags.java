package io.jrkt.cli;

import io.jrkt.stage1.ArgsException;
import io.jrkt.stage1.NetList;
import io.jrkt.stage1.Stage1Exception;
import io.jrkt.stage1.kvm.KvmAccel;
import io.jrkt.stage1.kvm.KvmConfig;
import io.jrkt.stage1.kvm.KvmSettings;
import java.util.Arrays;
import java.util.Optional;

/** The VM pod settings of run and prepare: {@code --kvm-accel} and the stage1-kvm configuration. */
final class KvmFlags {
  static final String ACCEL_FLAG = "kvm-accel";

  private KvmFlags() {}

  static void define(Flags f) {
    f.string(ACCEL_FLAG, "", "accelerator of VM pods (stage1-kvm): kvm (required, the default), "
        + "tcg (qemu's software emulation) or auto (KVM when usable, else TCG)");
  }

  static KvmSettings settings(Context ctx, Flags f) throws CliException {
    try {
      String flag = f.isDefined(ACCEL_FLAG) ? f.getString(ACCEL_FLAG) : "";
      Optional<KvmAccel> accel = flag.isEmpty() ? Optional.empty()
          : Optional.of(KvmAccel.parse("--" + ACCEL_FLAG, flag));
      Optional<String> net = f.isDefined("net") ? Optional.of(NetList.parse(f.getString("net")))
          : Optional.empty();
      return KvmSettings.of(accel, config(ctx), net, ctx.debug());
    } catch (ArgsException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  static KvmConfig config(Context ctx) throws CliException {
    try {
      return KvmConfig.load(Arrays.asList(ctx.systemConfig(), ctx.localConfig()));
    } catch (Stage1Exception e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
