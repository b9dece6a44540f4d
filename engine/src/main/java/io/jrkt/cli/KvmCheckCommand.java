package io.jrkt.cli;

import io.jrkt.stage1.kvm.AccelDecision;
import io.jrkt.stage1.kvm.HostTools;
import io.jrkt.stage1.kvm.HostVirt;
import io.jrkt.stage1.kvm.KvmSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jrkt stage1 kvm-check}: the operator's one-line answer to "which accelerator would a VM
 * pod (stage1-kvm) get here, and why", with the same settings and the same decision as
 * {@code run}. Exits 0 when a VM pod could start, 254 when not.
 */
final class KvmCheckCommand implements Command {
  @Override
  public String name() {
    return "stage1 kvm-check";
  }

  @Override
  public String summary() {
    return "Tell which accelerator a VM pod (stage1-kvm) would get on this host, and why";
  }

  @Override
  public void define(Flags flags) {
    KvmFlags.define(flags);
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (!args.isEmpty()) {
      throw new CliException("stage1 kvm-check takes no arguments");
    }
    KvmSettings settings = KvmFlags.settings(ctx, flags);
    HostVirt host = HostVirt.probe(Path.of("/"));
    ctx.debug("stage1 kvm-check: /dev/kvm " + host.devKvmError().orElse("opens") + "; modules "
        + host.kvmModules() + "; CPU virtualization flags " + (host.cpuVirtFlags() ? "yes" : "no")
        + "; setting " + settings.accel().text() + " from " + settings.accelSource());
    AccelDecision d = AccelDecision.decide(settings.accel(), settings.accelSource(), host);
    List<String> missing = new ArrayList<>();
    String path = System.getenv("PATH");
    if (HostTools.qemu(path).isEmpty()) {
      missing.add("qemu missing (" + HostTools.QEMU + ")");
    }
    if (HostTools.virtiofsd(path).isEmpty()) {
      missing.add("virtiofsd missing");
    }
    String line = d.accel().orElse("none") + ": " + d.reason();
    if (!missing.isEmpty()) {
      line += "; but " + String.join(", ", missing);
    }
    ctx.out().println(line);
    return d.accel().isPresent() && missing.isEmpty() ? 0 : 254;
  }
}
