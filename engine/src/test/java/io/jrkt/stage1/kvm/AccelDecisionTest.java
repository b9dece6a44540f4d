package io.jrkt.stage1.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.stage1.Stage1Exception;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccelDecisionTest {
  private static final HostVirt INTEL = new HostVirt(Optional.empty(), Set.of("kvm_intel"), true);
  private static final HostVirt PVM = new HostVirt(Optional.empty(), Set.of("kvm_pvm"), false);
  private static final HostVirt NO_DEV = new HostVirt(Optional.of("/dev/kvm does not exist"),
      Set.of(), true);

  @Test
  void kvmIsUsedWhereItIsUsable() {
    for (KvmAccel a : new KvmAccel[] {KvmAccel.KVM, KvmAccel.AUTO}) {
      AccelDecision d = AccelDecision.decide(a, "--kvm-accel=" + a.text(), INTEL);
      assertEquals(Optional.of("kvm"), d.accel());
      assertTrue(d.reason().contains("kvm_intel"), d.reason());
    }
  }

  @Test
  void tcgOnlyWhenAskedOrAllowed() throws Stage1Exception {
    AccelDecision forced = AccelDecision.decide(KvmAccel.TCG, "--kvm-accel=tcg", INTEL);
    assertEquals("tcg", forced.require());
    assertTrue(forced.reason().contains("--kvm-accel=tcg"), forced.reason());

    AccelDecision fallback = AccelDecision.decide(KvmAccel.AUTO, "--kvm-accel=auto", PVM);
    assertEquals("tcg", fallback.require());
    assertTrue(fallback.reason().contains("kvm_pvm") && fallback.reason().contains("auto"),
        fallback.reason());
  }

  @Test
  void requiredKvmFailsFastNamingTheCause() {
    AccelDecision pvm = AccelDecision.decide(KvmAccel.KVM, "the default setting kvm", PVM);
    Stage1Exception e = assertThrows(Stage1Exception.class, pvm::require);
    assertTrue(e.getMessage().contains("kvm_pvm") && e.getMessage().contains("--kvm-accel=tcg"),
        e.getMessage());

    AccelDecision missing = AccelDecision.decide(KvmAccel.KVM, "the default setting kvm", NO_DEV);
    assertTrue(missing.accel().isEmpty());
    assertTrue(missing.reason().contains("/dev/kvm does not exist"), missing.reason());

    HostVirt noFlags = new HostVirt(Optional.empty(), Set.of("kvm_amd"), false);
    assertTrue(AccelDecision.decide(KvmAccel.KVM, "x", noFlags).reason().contains("svm"));
    HostVirt noModule = new HostVirt(Optional.empty(), Set.of(), true);
    assertTrue(AccelDecision.decide(KvmAccel.KVM, "x", noModule).reason()
        .contains("kvm_intel nor kvm_amd"));
  }

  @Test
  void probeReadsAFakeRoot(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("sys/module/kvm_amd"));
    Files.createDirectories(root.resolve("sys/module/kvm"));
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/cpuinfo"), "processor\t: 0\nflags\t\t: fpu svm sse\n");

    HostVirt h = HostVirt.probe(root);

    assertEquals(Set.of("kvm_amd"), h.kvmModules());
    assertTrue(h.cpuVirtFlags());
    assertTrue(h.devKvmError().get().contains("does not exist"), h.toString());

    Files.createDirectories(root.resolve("dev"));
    Files.writeString(root.resolve("dev/kvm"), "");
    assertEquals(Optional.empty(), HostVirt.probe(root).devKvmError());
  }
}
