package io.jrkt.stage1.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.stage1.Stage1Exception;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks before a VM pod is created: each missing part is named in one line. */
class KvmPodPlannerTest {
  private static final HostVirt INTEL = new HostVirt(Optional.empty(), Set.of("kvm_intel"), true);
  private static final HostVirt PVM = new HostVirt(Optional.empty(), Set.of("kvm_pvm"), false);

  private final List<String> debug = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private KvmPodPlanner planner(KvmSettings s, HostVirt host, Path bin) {
    return new KvmPodPlanner(s, host, bin.toString(), debug::add, warnings::add);
  }

  private static KvmSettings settings(KvmAccel accel, String net) {
    return new KvmSettings(accel, "--kvm-accel=" + accel.text(), 60,
        Optional.ofNullable(net), false);
  }

  private static Path executable(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path f = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    return f;
  }

  private static Path stage1(Path t, boolean kernel) throws IOException {
    Path rootfs = Files.createDirectories(t.resolve("stage1/kernel")).getParent();
    Files.writeString(rootfs.resolve("kernel/initramfs"), "cpio");
    if (kernel) {
      Files.writeString(rootfs.resolve("kernel/vmlinux"), "elf");
    }
    return rootfs;
  }

  @Test
  void aPodThatCanRunPassesWithItsAcceleratorAndTools(@TempDir Path t) throws Exception {
    Path bin = t.resolve("bin");
    Path qemu = executable(bin, "qemu-system-x86_64");
    Path virtiofsd = executable(bin, "virtiofsd");

    KvmPodPlanner.Preflight p = planner(settings(KvmAccel.AUTO, "default"), INTEL, bin)
        .preflight(stage1(t, true));

    assertEquals(new KvmPodPlanner.Preflight("kvm", "KVM is usable (kvm_intel)", qemu,
        virtiofsd), p);
    assertTrue(debug.stream().anyMatch(l -> l.contains("accelerator kvm")), debug.toString());
    assertTrue(debug.stream().anyMatch(l -> l.contains("the VM's NIC takes eth0's place")),
        debug.toString());
  }

  @Test
  void eachMissingPartIsNamed(@TempDir Path t) throws Exception {
    Path empty = Files.createDirectories(t.resolve("empty"));
    Path onlyQemu = t.resolve("only-qemu");
    executable(onlyQemu, "qemu-system-x86_64");
    Path both = t.resolve("both");
    executable(both, "qemu-system-x86_64");
    executable(both, "virtiofsd");
    Path withKernel = stage1(t.resolve("a"), true);
    Path withoutKernel = stage1(t.resolve("b"), false);

    String noQemu = assertThrows(Stage1Exception.class, () -> planner(settings(KvmAccel.TCG,
        null), PVM, empty).preflight(withKernel)).getMessage();
    String noKernel = assertThrows(Stage1Exception.class, () -> planner(settings(KvmAccel.TCG,
        null), PVM, both).preflight(withoutKernel)).getMessage();
    String noKvm = assertThrows(Stage1Exception.class, () -> planner(settings(KvmAccel.KVM,
        null), PVM, both).preflight(withKernel)).getMessage();
    String host = assertThrows(Stage1Exception.class, () -> planner(settings(KvmAccel.TCG,
        "host"), PVM, both).preflight(withKernel)).getMessage();

    assertTrue(noQemu.contains("qemu missing"), noQemu);
    assertTrue(noKernel.contains("kernel missing"), noKernel);
    assertTrue(noKvm.contains("kvm_pvm"), noKvm);
    assertTrue(host.contains("--net=host"), host);
    if (!Files.isExecutable(Path.of("/usr/lib/qemu/virtiofsd"))) {
      String noVirtiofsd = assertThrows(Stage1Exception.class, () -> planner(settings(
          KvmAccel.TCG, null), PVM, onlyQemu).preflight(withKernel)).getMessage();
      assertTrue(noVirtiofsd.contains("virtiofsd missing"), noVirtiofsd);
    }
  }

  @Test
  void namedNetworksAreWiredToTheVmWithoutWarning(@TempDir Path t) throws Exception {
    Path bin = t.resolve("bin");
    executable(bin, "qemu-system-x86_64");
    executable(bin, "virtiofsd");

    planner(settings(KvmAccel.TCG, "mynet"), PVM, bin).preflight(stage1(t, true));

    assertEquals(List.of(), warnings);
    assertTrue(debug.stream().anyMatch(l -> l.contains("--net=mynet: the VM's NIC")),
        debug.toString());
  }

  @Test
  void tscFrequencyComesFromCpuinfo(@TempDir Path t) throws IOException {
    Path cpuinfo = Files.writeString(t.resolve("cpuinfo"),
        "processor\t: 0\ncpu MHz\t\t: 2600.004\n");
    assertEquals(OptionalLong.of(2600004), KvmPodPlanner.tscKhz(cpuinfo));
    assertEquals(OptionalLong.empty(), KvmPodPlanner.tscKhz(t.resolve("missing")));
  }

  private static io.jrkt.stage1.AppPlan app(String name, io.jrkt.stage1.PlanMount... mounts) {
    io.jrkt.appc.AcName n = new io.jrkt.appc.AcName(name);
    return new io.jrkt.stage1.AppPlan(n, io.jrkt.stage1.AppPlan.rootOf(n), 0, 0, List.of(), "/",
        List.of(), List.of("/bin/true"), List.of(mounts), false, Optional.empty());
  }

  private static io.jrkt.stage1.PlanMount bind(String source, String target, boolean ro) {
    return new io.jrkt.stage1.PlanMount(source, target, ro ? List.of("rbind", "ro")
        : List.of("rbind"));
  }

  @Test
  void aHostVolumeIsSharedReadOnlyOnlyWhenEveryMountOfItIs(@TempDir Path t) throws Exception {
    Path run = t.resolve("pod");
    String onlyRead = Files.createDirectories(t.resolve("only-read")).toString();
    String mixed = Files.createDirectories(t.resolve("mixed")).toString();
    String written = Files.createDirectories(t.resolve("written")).toString();
    io.jrkt.stage1.RunPlan plan = new io.jrkt.stage1.RunPlan(List.of(
        app("a", bind(onlyRead, "/r", true), bind(mixed, "/m", true), bind(written, "/w", false),
            bind(run + "/volumes/empty", "/e", true)),
        app("b", bind(onlyRead, "/r2", true), bind(mixed, "/m", false))));

    assertEquals(List.of(onlyRead, mixed, written), KvmPodPlanner.hostVolumes(run, plan));
    assertEquals(Set.of(onlyRead), KvmPodPlanner.readOnlyVolumes(run, plan));
  }
}
