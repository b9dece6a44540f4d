package io.jrkt.stage1.kvm;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.stage1.AppIsolators;
import io.jrkt.stage1.AppPlan;
import io.jrkt.stage1.IoErrors;
import io.jrkt.stage1.PlanMount;
import io.jrkt.stage1.RunPlan;
import io.jrkt.stage1.RunPlanner;
import io.jrkt.stage1.Stage1Exception;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * stage0's part for stage1-kvm pods: checks, before the pod is created, that it can run (an
 * accelerator the operator allows, qemu, virtiofsd, the stage1's kernel; no host network), and
 * writes the VM spec ({@link VmSpec}) and the accelerator note next to the run plan.
 */
public final class KvmPodPlanner {
  /** In the pod directory: "ACCEL: reason", for status and operators. */
  public static final String ACCEL_FILE = "stage1-kvm-accel";

  private final KvmSettings settings;
  private final HostVirt host;
  private final String pathEnv;
  private final Consumer<String> debug;
  private final Consumer<String> warn;

  public KvmPodPlanner(KvmSettings settings, HostVirt host, String pathEnv,
      Consumer<String> debug, Consumer<String> warn) {
    this.settings = settings;
    this.host = host;
    this.pathEnv = pathEnv;
    this.debug = debug;
    this.warn = warn;
  }

  /** The pod manifest annotation (shown by cat-manifest and the API): "ACCEL: reason". */
  public static final String ACCEL_ANNOTATION = "jrkt.io/stage1-kvm-accel";

  /** The manifest with the accelerator annotation, for the API and {@code cat-manifest}. */
  public static PodManifest annotate(PodManifest manifest, Preflight p) {
    return manifest.toBuilder().annotations(manifest.annotations().with(ACCEL_ANNOTATION,
        p.accel() + ": " + p.reason())).build();
  }

  /** What the checks found: the pod can run with these. */
  public record Preflight(String accel, String reason, Path qemu, Path virtiofsd) {}

  /** @param stage1Rootfs the stage1 image's rendered rootfs */
  public Preflight preflight(Path stage1Rootfs) throws Stage1Exception {
    if (settings.hostNetwork()) {
      throw new Stage1Exception("stage1-kvm: --net=host cannot be used: a VM cannot share the "
          + "host's network");
    }
    AccelDecision d = AccelDecision.decide(settings.accel(), settings.accelSource(), host);
    debug.accept("stage1-kvm: accelerator " + d.accel().orElse("none") + ": " + d.reason());
    String accel = d.require();
    Path qemu = HostTools.qemu(pathEnv).orElseThrow(() -> new Stage1Exception(
        "stage1-kvm: qemu missing: no " + HostTools.QEMU + " on PATH (Debian package "
            + "qemu-system-x86)"));
    Path virtiofsd = HostTools.virtiofsd(pathEnv).orElseThrow(() -> new Stage1Exception(
        "stage1-kvm: virtiofsd missing: not on PATH nor in " + HostTools.VIRTIOFSD_DIRS
            + " (Debian package qemu-system-common)"));
    for (String part : List.of("vmlinux", "initramfs")) {
      Path f = stage1Rootfs.resolve("kernel").resolve(part);
      if (!Files.isRegularFile(f)) {
        throw new Stage1Exception("stage1-kvm: " + (part.equals("vmlinux") ? "kernel" : part)
            + " missing: the stage1 image has no /kernel/" + part + " (it was built without "
            + "one; see the stage1-kvm build)");
      }
    }
    String net = settings.net().orElse("default");
    if (!net.equals("none")) {
      debug.accept("stage1-kvm: --net=" + net + ": the VM's NIC takes eth0's place in the "
          + "pod's network namespace (tap device, tc redirect)");
    }
    return new Preflight(accel, d.reason(), qemu, virtiofsd);
  }

  /**
   * Writes the VM spec and the accelerator note into a prepared pod directory.
   *
   * @param runDir the pod directory's path while it runs
   */
  public void write(Path podDir, Path runDir, String uuid, PodManifest manifest,
      Map<AcName, ImageManifest> images, RunPlan plan, Preflight p) throws Stage1Exception {
    List<String> volumes = hostVolumes(runDir, plan);
    List<VmResources.AppLimits> limits = new ArrayList<>();
    for (RuntimeApp ra : manifest.apps()) {
      App app = RunPlanner.effectiveApp(ra, images.get(ra.name()));
      AppIsolators iso = AppIsolators.of(app.isolators(), "app \"" + ra.name() + "\"");
      limits.add(new VmResources.AppLimits(iso.memoryLimitBytes(), iso.cpuQuotaMillis()));
    }
    VmResources resources = VmResources.of(limits, Runtime.getRuntime().availableProcessors());
    VmConfig config;
    try {
      config = new VmConfig(p.qemu().toString(), p.virtiofsd().toString(), p.accel(), resources,
          "rkt-" + uuid, runDir.toString(), tscKhz(Path.of("/proc/cpuinfo")),
          settings.guestDebug(), java.util.Optional.empty(), volumes,
          plan.apps().stream().map(a -> a.name().value()).toList());
    } catch (IllegalArgumentException e) {
      throw new Stage1Exception("stage1-kvm: " + e.getMessage(), e);
    }
    debug.accept("stage1-kvm: VM with " + resources.memoryMiB() + " MiB and "
        + resources.vcpus() + " vCPU(s), accelerator " + p.accel() + ", boot timeout "
        + settings.bootTimeoutSeconds() + " s");
    try {
      // For an overlay pod, into the stage1's upper layer (the overlay is not mounted yet).
      Files.write(io.jrkt.stage1.UpperDirs.stage1Dir(podDir, "rkt").resolve(VmSpec.FILE),
          VmSpec.of(config, settings.bootTimeoutSeconds() * 1000,
              readOnlyVolumes(runDir, plan)).encode());
      Files.write(podDir.resolve(ACCEL_FILE),
          (p.accel() + ": " + p.reason() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Stage1Exception("stage1-kvm: cannot write the VM spec: " + IoErrors.describe(e),
          e);
    }
  }

  /**
   * The host directories the pod's bind mounts come from, outside the pod directory (which the
   * VM sees anyway), each once: one virtio-fs share per directory. A single file cannot be
   * shared.
   */
  static List<String> hostVolumes(Path runDir, RunPlan plan) throws Stage1Exception {
    String prefix = runDir.toString() + "/";
    java.util.LinkedHashSet<String> dirs = new java.util.LinkedHashSet<>();
    for (AppPlan a : plan.apps()) {
      for (PlanMount m : a.mounts()) {
        if (!fromHostVolume(m, prefix)) {
          continue;
        }
        if (!Files.isDirectory(Path.of(m.source()))) {
          throw new Stage1Exception("stage1-kvm: app \"" + a.name() + "\": host volume "
              + m.source() + " is not a directory; only directories can be shared into the VM");
        }
        if (m.source().contains(",")) {
          throw new Stage1Exception("stage1-kvm: app \"" + a.name() + "\": host volume "
              + m.source() + " has a comma, which qemu's option syntax cannot carry");
        }
        dirs.add(m.source());
      }
    }
    return List.copyOf(dirs);
  }

  /**
   * The host volumes of {@link #hostVolumes} that every mount uses read-only: the stage1 shares
   * them from a read-only bind, so that not even the guest's kernel can write them.
   */
  static java.util.Set<String> readOnlyVolumes(Path runDir, RunPlan plan) {
    String prefix = runDir.toString() + "/";
    java.util.Map<String, Boolean> readOnly = new java.util.HashMap<>();
    for (AppPlan a : plan.apps()) {
      for (PlanMount m : a.mounts()) {
        if (fromHostVolume(m, prefix)) {
          readOnly.merge(m.source(), m.options().contains("ro"), Boolean::logicalAnd);
        }
      }
    }
    return readOnly.entrySet().stream().filter(java.util.Map.Entry::getValue)
        .map(java.util.Map.Entry::getKey).collect(java.util.stream.Collectors.toSet());
  }

  /** A bind from outside the pod directory (which the VM sees anyway): a host volume's. */
  private static boolean fromHostVolume(PlanMount m, String podDirPrefix) {
    return !m.source().equals("tmpfs") && !m.source().startsWith(podDirPrefix);
  }

  /** The "cpu MHz" of /proc/cpuinfo in kHz; empty when it cannot be read. */
  static OptionalLong tscKhz(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        if (line.startsWith("cpu MHz")) {
          double mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
          return mhz > 0 ? OptionalLong.of(Math.round(mhz * 1000)) : OptionalLong.empty();
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** The accelerator note of a pod directory ("tcg: reason"); empty for other flavors. */
  public static java.util.Optional<String> accelNote(Path podDir) {
    try {
      return java.util.Optional.of(Files.readString(podDir.resolve(ACCEL_FILE)).trim());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
