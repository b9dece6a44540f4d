package io.jrkt.stage1.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The VM's command lines against golden files (one argument per line). */
class QemuCommandTest {
  private static final String UUID = "6f3c1d6e-8b1a-4c47-9d2e-0a1b2c3d4e5f";

  private static VmConfig config(String accel, VmResources resources, OptionalLong tsc,
      boolean debug, Optional<String> tap) {
    return new VmConfig("/usr/bin/qemu-system-x86_64", "/usr/lib/qemu/virtiofsd", accel,
        resources, "rkt-" + UUID, "/var/lib/rkt/pods/run/" + UUID, tsc, debug, tap, List.of(),
        List.of("web", "sidecar"));
  }

  private static List<String> golden(String name) throws IOException {
    try (InputStream in = QemuCommandTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no golden file " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void tcgPodMatchesItsGoldenFile() throws IOException {
    VmConfig c = config("tcg", new VmResources(256, 1), OptionalLong.of(2600000), false,
        Optional.empty());

    assertEquals(golden("qemu-tcg.golden"), QemuCommand.qemuArgv(c));
    assertEquals(golden("virtiofsd.golden"), QemuCommand.virtiofsdArgv(c));
  }

  @Test
  void kvmPodWithDebugTapAndHostVolumesMatchesItsGoldenFile() throws IOException {
    VmConfig c = new VmConfig("/usr/bin/qemu-system-x86_64", "/usr/lib/qemu/virtiofsd", "kvm",
        new VmResources(640, 3), "rkt-" + UUID, "/var/lib/rkt/pods/run/" + UUID,
        OptionalLong.empty(), true, Optional.of("tap0"), List.of("/srv/data", "/srv/logs"),
        List.of("app"));

    assertEquals(golden("qemu-kvm-tap.golden"), QemuCommand.qemuArgv(c));
    assertEquals(List.of("/usr/lib/qemu/virtiofsd", "--fd=3", "-o", "source=/srv/logs", "-o",
        "cache=auto", "-o", "sandbox=namespace", "-o", "log_level=warn"),
        QemuCommand.volumeVirtiofsdArgv(c, 2));
    String spec = new String(VmSpec.of(c, 1000).encode(), StandardCharsets.UTF_8);
    assertTrue(spec.contains(String.join("\0", "", "volume", "vol1", "/srv/data", "10",
        "/usr/lib/qemu/virtiofsd", "")), spec);
    assertTrue(spec.contains(String.join("\0", "", "volume", "vol2", "/srv/logs", "10", "")),
        spec);
    assertFalse(spec.contains("read-only"), spec);
    String readOnly = new String(VmSpec.of(c, 1000, java.util.Set.of("/srv/logs")).encode(),
        StandardCharsets.UTF_8);
    assertTrue(readOnly.contains("log_level=warn\0read-only\0vol2\0"), readOnly);
    assertEquals(1, readOnly.split("read-only", -1).length - 1, readOnly);
  }

  @Test
  void kernelCommandLine() {
    assertEquals("console=ttyS0 quiet panic=-1 pci=off tsc_early_khz=2600000 tsc=reliable"
        + " init_on_alloc=0",
        QemuCommand.kernelCmdline(config("tcg", new VmResources(256, 1),
            OptionalLong.of(2600000), false, Optional.empty())));
    assertEquals("console=ttyS0 quiet panic=-1 pci=off tsc=reliable init_on_alloc=0"
        + " jrkt.debug",
        QemuCommand.kernelCmdline(config("kvm", new VmResources(256, 1), OptionalLong.empty(),
            true, Optional.empty())));
  }

  @Test
  void configRefusesWhatTheOptionSyntaxCannotCarry() {
    IllegalArgumentException comma = assertThrows(IllegalArgumentException.class,
        () -> new VmConfig("q", "v", "tcg", new VmResources(256, 1), "rkt-x", "/data,1/pod",
            OptionalLong.empty(), false, Optional.empty()));
    assertTrue(comma.getMessage().contains("comma"), comma.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VmConfig("q", "v", "hvf",
        new VmResources(256, 1), "rkt-x", "/p", OptionalLong.empty(), false, Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> new VmConfig("q", "v", "tcg",
        new VmResources(256, 1), "rkt-x", "relative", OptionalLong.empty(), false,
        Optional.empty()));
    assertThrows(IllegalArgumentException.class, () -> new VmConfig("q", "v", "tcg",
        new VmResources(256, 1), "rkt-x", "/p", OptionalLong.empty(), false,
        Optional.of("a,b")));
  }

  @Test
  void specEncodesNulTerminatedFields() {
    VmConfig c = config("tcg", new VmResources(256, 1), OptionalLong.empty(), false,
        Optional.empty());
    byte[] bytes = VmSpec.of(c, 60000).encode();
    String text = new String(bytes, StandardCharsets.UTF_8);

    assertEquals(0, bytes[bytes.length - 1]);
    String[] fields = text.split("\0", -1);
    assertEquals(List.of("version", "1", "accel", "tcg", "boot-timeout-ms", "60000",
        "host-pod-dir", "/var/lib/rkt/pods/run/" + UUID, "virtiofsd", "10"),
        List.of(fields).subList(0, 10));
    int outputsAt = 10 + 10;
    assertEquals(List.of("output", "web", "200", "201", "output", "sidecar", "202", "203"),
        List.of(fields).subList(outputsAt, outputsAt + 8));
    int qemuAt = outputsAt + 8;
    assertEquals("qemu", fields[qemuAt]);
    assertEquals(Integer.toString(QemuCommand.qemuArgv(c).size()), fields[qemuAt + 1]);
    assertEquals(qemuAt + 2 + QemuCommand.qemuArgv(c).size() + 1, fields.length);
    assertThrows(IllegalArgumentException.class,
        () -> new VmSpec("tcg", 0, "/p", List.of("v"), List.of(), List.of(), List.of("q")));
    assertThrows(IllegalArgumentException.class, () -> new VmConfig("q", "v", "tcg",
        new VmResources(256, 1), "rkt-x", "/p", OptionalLong.empty(), false, Optional.empty(),
        List.of("/a,b")));
  }

  @Test
  void configRefusesAppNamesAPortNameCannotCarry() {
    assertThrows(IllegalArgumentException.class, () -> new VmConfig("q", "v", "tcg",
        new VmResources(256, 1), "rkt-x", "/p", OptionalLong.empty(), false, Optional.empty(),
        List.of(), List.of("a,b")));
    List<String> many = java.util.stream.IntStream.rangeClosed(0, VmConfig.MAX_APPS)
        .mapToObj(i -> "app" + i).toList();
    assertThrows(IllegalArgumentException.class, () -> new VmConfig("q", "v", "tcg",
        new VmResources(256, 1), "rkt-x", "/p", OptionalLong.empty(), false, Optional.empty(),
        List.of(), many));
  }
}
