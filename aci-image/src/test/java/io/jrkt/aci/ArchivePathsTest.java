package io.jrkt.aci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArchivePathsTest {
  @ParameterizedTest
  @CsvSource({
      "manifest, manifest",
      "./manifest, manifest",
      "rootfs, rootfs",
      "rootfs/, rootfs",
      "./rootfs//usr/./bin/, rootfs/usr/bin",
      "rootfs/a.b/..c, rootfs/a.b/..c",
  })
  void canonicalForms(String name, String expected) throws Exception {
    assertEquals(expected, ArchivePaths.normalize("img", name));
  }

  @Test
  void theArchiveRootIsIgnored() throws Exception {
    assertNull(ArchivePaths.normalize("img", "./"));
    assertNull(ArchivePaths.normalize("img", "."));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "rootfs/../../etc/x | path escapes the rootfs",
      "../rootfs/x | path escapes the rootfs",
      "rootfs/.. | path escapes the rootfs",
      "manifest/../rootfs/x | path escapes the rootfs",
      "rootfs/a/../b | path contains a \"..\" component",
      "/rootfs/x | absolute path",
      "manifest/x | unexpected entry (an ACI holds only manifest and rootfs/)",
      "rootfsx/y | unexpected entry (an ACI holds only manifest and rootfs/)",
      "signature | unexpected entry (an ACI holds only manifest and rootfs/)",
  })
  void refusedNames(String name, String reason) {
    UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
        () -> ArchivePaths.normalize("img", name));
    assertEquals("image img: entry \"" + name + "\": " + reason, e.getMessage());
  }
}
