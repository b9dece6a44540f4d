package io.jrkt.stage1.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.stage1.Stage1Exception;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmConfigTest {
  private static Path write(Path configDir, String name, String json) throws IOException {
    Path d = Files.createDirectories(configDir.resolve(KvmConfig.DIR));
    return Files.writeString(d.resolve(name), json);
  }

  @Test
  void localConfigOverridesSystemConfigAndTheFlagOverridesBoth(@TempDir Path t)
      throws Exception {
    Path system = t.resolve("system");
    Path local = t.resolve("local");
    write(system, "a.json", "{\"rktKind\":\"stage1-kvm\",\"rktVersion\":\"v1\","
        + "\"accel\":\"tcg\",\"bootTimeoutSeconds\":30}");
    Path localFile = write(local, "b.json",
        "{\"rktKind\":\"stage1-kvm\",\"rktVersion\":\"v1\",\"accel\":\"auto\"}");

    KvmConfig c = KvmConfig.load(Arrays.asList(system, local, null));

    assertEquals(KvmAccel.AUTO, c.accel().get().accel());
    assertEquals(30, c.bootTimeoutSeconds().getAsLong());
    KvmSettings fromConfig = KvmSettings.of(Optional.empty(), c, Optional.empty(), false);
    assertEquals(KvmAccel.AUTO, fromConfig.accel());
    assertTrue(fromConfig.accelSource().contains(localFile.toString()), fromConfig.toString());
    assertEquals(30, fromConfig.bootTimeoutSeconds());
    KvmSettings fromFlag = KvmSettings.of(Optional.of(KvmAccel.KVM), c, Optional.of("host"),
        true);
    assertEquals("--kvm-accel=kvm", fromFlag.accelSource());
    assertTrue(fromFlag.hostNetwork());
  }

  @Test
  void withoutConfigurationKvmIsRequired() throws Exception {
    KvmSettings s = KvmSettings.of(Optional.empty(), KvmConfig.load(List.of()), Optional.empty(),
        false);
    assertEquals(KvmAccel.KVM, s.accel());
    assertEquals(KvmSettings.DEFAULT_BOOT_TIMEOUT_SECONDS, s.bootTimeoutSeconds());
  }

  @Test
  void badFilesAreRefusedNamingTheFile(@TempDir Path t) throws IOException {
    Path kind = write(t.resolve("k"), "x.json", "{\"rktKind\":\"stage1\",\"rktVersion\":\"v1\"}");
    Path accel = write(t.resolve("a"), "x.json",
        "{\"rktKind\":\"stage1-kvm\",\"rktVersion\":\"v1\",\"accel\":\"fast\"}");
    Path timeout = write(t.resolve("t"), "x.json",
        "{\"rktKind\":\"stage1-kvm\",\"rktVersion\":\"v1\",\"bootTimeoutSeconds\":0.5}");
    Path json = write(t.resolve("j"), "x.json", "{");

    for (Path f : List.of(kind, accel, timeout, json)) {
      Stage1Exception e = assertThrows(Stage1Exception.class,
          () -> KvmConfig.load(List.of(f.getParent().getParent())));
      assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
  }
}
