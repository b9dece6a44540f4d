package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeCopierTest {
  @TempDir
  Path tmp;

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  @Test
  void keepsModesLinksAndTimes() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.createDirectories(src.resolve("bin"));
    Path tool = Files.writeString(src.resolve("bin/tool"), "#!/bin/sh\n");
    Files.setAttribute(tool, "unix:mode", 04755);
    Files.setLastModifiedTime(tool, FileTime.fromMillis(1_000_000_000_000L));
    Files.createLink(src.resolve("bin/alias"), tool);
    Files.createSymbolicLink(src.resolve("bin/sh"), Path.of("tool"));
    Files.createSymbolicLink(src.resolve("dangling"), Path.of("/nowhere/at/all"));
    Path sticky = Files.createDirectories(src.resolve("tmp"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    Path ro = Files.createDirectories(src.resolve("ro"));
    Files.writeString(ro.resolve("f"), "data");
    Files.setAttribute(ro, "unix:mode", 0555);

    Path dst = tmp.resolve("dst");
    TreeCopier c = TreeCopier.copy(src, dst);

    assertEquals(04755, mode(dst.resolve("bin/tool")));
    assertEquals("#!/bin/sh\n", Files.readString(dst.resolve("bin/tool")));
    assertEquals(FileTime.fromMillis(1_000_000_000_000L),
        Files.getLastModifiedTime(dst.resolve("bin/tool")));
    assertTrue(Files.isSameFile(dst.resolve("bin/tool"), dst.resolve("bin/alias")));
    assertFalse(Files.isSameFile(tool, dst.resolve("bin/tool")));
    assertEquals(Path.of("tool"), Files.readSymbolicLink(dst.resolve("bin/sh")));
    assertEquals(Path.of("/nowhere/at/all"), Files.readSymbolicLink(dst.resolve("dangling")));
    assertEquals(01777, mode(dst.resolve("tmp")));
    assertEquals(0555, mode(dst.resolve("ro")));
    assertEquals("data", Files.readString(dst.resolve("ro/f")));
    assertTrue(c.skipped().isEmpty());
    Files.setAttribute(ro, "unix:mode", 0755);
    Files.setAttribute(dst.resolve("ro"), "unix:mode", 0755);
  }

  @Test
  void linksTheNamedFilesToTheSourceAndCopiesTheRest() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/kernel"));
    Files.writeString(src.resolve("vmlinux"), "kernel");
    Files.writeString(src.resolve("release"), "6.1");

    Path dst = tmp.resolve("dst");
    TreeCopier.copy(tmp.resolve("src"), dst, java.util.Set.of(Path.of("kernel/vmlinux"),
        Path.of("kernel/absent")));

    assertTrue(Files.isSameFile(src.resolve("vmlinux"), dst.resolve("kernel/vmlinux")));
    assertFalse(Files.isSameFile(src.resolve("release"), dst.resolve("kernel/release")));
    assertEquals("6.1", Files.readString(dst.resolve("kernel/release")));
    assertFalse(Files.exists(dst.resolve("kernel/absent")));
  }

  @Test
  void skipsSpecialFiles() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path fifo = src.resolve("fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertEquals(0, p.waitFor());
    TreeCopier c = TreeCopier.copy(src, tmp.resolve("dst"));
    assertEquals(java.util.List.of(Path.of("fifo")), c.skipped());
    assertFalse(Files.exists(tmp.resolve("dst/fifo"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void mtabLinkOnlyWhenEtcExistsWithoutMtab() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a/etc"));
    assertTrue(TreeCopier.addMtabLink(a.getParent()));
    assertEquals(Path.of("../proc/self/mounts"), Files.readSymbolicLink(a.resolve("mtab")));
    assertFalse(TreeCopier.addMtabLink(a.getParent()));
    Path b = Files.createDirectories(tmp.resolve("b"));
    assertFalse(TreeCopier.addMtabLink(b));
    Path c = Files.createDirectories(tmp.resolve("c/etc"));
    Files.writeString(c.resolve("mtab"), "own");
    assertFalse(TreeCopier.addMtabLink(c.getParent()));
    assertEquals("own", Files.readString(c.resolve("mtab")));
  }
}
