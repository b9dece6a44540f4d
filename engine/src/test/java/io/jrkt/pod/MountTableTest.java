package io.jrkt.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
  private static final String MOUNTINFO = ""
      + "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      + "30 22 0:25 / /var/lib/rkt/pods/run/x/stage1/rootfs rw - overlay overlay rw\n"
      + "31 30 0:26 / /var/lib/rkt/pods/run/x/stage1/rootfs/opt/stage2/a/rootfs rw - overlay o rw\n"
      + "32 31 0:27 / /var/lib/rkt/pods/run/x/stage1/rootfs/opt/stage2/a/rootfs/my\\040dir rw"
      + " - tmpfs tmpfs rw\n"
      + "33 22 0:28 / /var/lib/rkt/pods/run/xy rw - tmpfs tmpfs rw\n"
      + "34 22 0:29 / /var/lib/rkt/pods/run/x rw - tmpfs tmpfs rw\n";

  @Test
  void mountsUnderADirectoryComeLatestFirstWithEscapesDecoded() throws Exception {
    MountTable t = MountTable.parse(MOUNTINFO);
    assertEquals(List.of(
        "/var/lib/rkt/pods/run/x",
        "/var/lib/rkt/pods/run/x/stage1/rootfs/opt/stage2/a/rootfs/my dir",
        "/var/lib/rkt/pods/run/x/stage1/rootfs/opt/stage2/a/rootfs",
        "/var/lib/rkt/pods/run/x/stage1/rootfs"), t.under(Path.of("/var/lib/rkt/pods/run/x")));
    assertEquals(List.of(), t.under(Path.of("/var/lib/rkt/pods/prepared")));
  }

  @Test
  void unescapesOctalSequencesOnly() {
    assertEquals("a b\tc\\d", io.jrkt.aci.FileTrees.unescapeMountPath("a\\040b\\011c\\134d"));
    assertEquals("a\\9", io.jrkt.aci.FileTrees.unescapeMountPath("a\\9"));
  }

  @Test
  void malformedLinesAreErrors() {
    assertThrows(PodException.class, () -> MountTable.parse("1 2 3\n"));
  }

  @Test
  void readsThisProcesssTable() throws Exception {
    List<String> underProc = MountTable.read().under(Path.of("/proc"));
    assertEquals("/proc", underProc.get(underProc.size() - 1));
  }
}
