package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.appc.AcName;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostVolumeSourcesTest {
  @TempDir
  Path dir;

  private static PodManifest pod(Volume... volumes) {
    return PodManifest.builder().acVersion("0.8.11").volumes(java.util.List.of(volumes)).build();
  }

  @Test
  void existingDirectoriesFilesAndEmptyVolumesPass() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    HostVolumeSources.requireExisting(pod(
        Volume.host(new AcName("d"), dir.toString(), true, null),
        Volume.host(new AcName("f"), file.toString(), null, null),
        Volume.empty(new AcName("e"), null)));
  }

  @Test
  void aMissingSourceIsRefusedWithTheVolumesName() {
    Path missing = dir.resolve("missing");
    Stage1Exception e = assertThrows(Stage1Exception.class, () ->
        HostVolumeSources.requireExisting(pod(
            Volume.host(new AcName("ok"), dir.toString(), null, null),
            Volume.host(new AcName("data"), missing.toString(), true, null))));
    assertEquals("volume \"data\": host source " + missing + " does not exist", e.getMessage());
  }

  @Test
  void aDanglingSymlinkCountsAsMissing() throws Exception {
    Path dangling = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("nowhere"));
    assertThrows(Stage1Exception.class, () -> HostVolumeSources.requireExisting(pod(
        Volume.host(new AcName("l"), dangling.toString(), null, null))));
  }
}
