package io.jrkt.aci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesDeleteTest {
  @TempDir Path tmp;

  @Test
  void deletesATreeWithoutFollowingSymlinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path tree = Files.createDirectories(tmp.resolve("tree/a"));
    Files.createSymbolicLink(tree.resolve("link"), outside);
    FileTrees.deleteRecursively(tmp.resolve("tree"));
    assertFalse(Files.exists(tmp.resolve("tree")));
    assertEquals("keep", Files.readString(outside.resolve("keep")));
  }

  @Test
  void refusesToDeleteATreeWithABindMountInside() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount");
    Path victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("data"), "precious");
    Path target = Files.createDirectories(tmp.resolve("tree/proc"));
    assertEquals(0, new ProcessBuilder("mount", "--bind", victim.toString(), target.toString())
        .inheritIO().start().waitFor());
    try {
      IOException e = assertThrows(IOException.class,
          () -> FileTrees.deleteRecursively(tmp.resolve("tree")));
      assertTrue(e.getMessage().contains("is mounted inside it"), e.getMessage());
      assertEquals("precious", Files.readString(victim.resolve("data")));
    } finally {
      new ProcessBuilder("umount", target.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void unescapesMountinfoPaths() {
    assertEquals("/a b\\c", FileTrees.unescapeMountPath("/a\\040b\\134c"));
    assertEquals("/plain", FileTrees.unescapeMountPath("/plain"));
  }
}
