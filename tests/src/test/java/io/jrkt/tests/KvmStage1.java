package io.jrkt.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the VM pod tests need before they start: a built stage1-kvm with a kernel, and qemu. */
final class KvmStage1 {
  private KvmStage1() {}

  /** The built {@code stage1-kvm.aci}; skips the calling tests when a part is missing. */
  static Path assumeRunnable(Jrkt jrkt) {
    Path stage1 = jrkt.bin().resolve("stage1-kvm.aci");
    assumeTrue(Files.isRegularFile(stage1), stage1 + " is not built (module stage1-kvm)");
    assumeTrue(Jrkt.exec(List.of("qemu-system-x86_64", "--version")) == 0,
        "qemu-system-x86_64 is not installed on this host");
    assumeTrue(Jrkt.exec(List.of("sh", "-c", "tar -tf " + stage1
        + " | grep -q '^rootfs/kernel/vmlinux$'")) == 0, stage1 + " was built without a kernel");
    return stage1;
  }
}
