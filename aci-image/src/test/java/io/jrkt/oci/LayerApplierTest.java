package io.jrkt.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.aci.TreeBuilder;
import io.jrkt.aci.UnsafeEntryException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerApplierTest {
  @TempDir Path tmp;
  Path tree;
  TreeBuilder b;
  SizeBudget budget;

  @BeforeEach
  void setUp() throws Exception {
    tree = Files.createDirectory(tmp.resolve("tree"));
    b = TreeBuilder.forTree(tree, "img");
    budget = new SizeBudget(1L << 30, 0, tmp);
  }

  private void apply(byte[] layer) throws Exception {
    LayerApplier.apply(new ByteArrayInputStream(layer), "layer", b, budget);
  }

  private boolean exists(String p) {
    return Files.exists(tree.resolve("rootfs").resolve(p), LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void laterLayersReplaceAndWhiteoutsRemove() throws Exception {
    apply(new LayerTar().dir("./etc").file("./etc/a", "1").file("etc/b", "2").dir("usr")
        .file("usr/x", "x").gzip());
    apply(new LayerTar().file("etc/a", "new").file("etc/.wh.b", "").file(".wh.usr", "").tar());
    assertEquals("new", Files.readString(tree.resolve("rootfs/etc/a")));
    assertFalse(exists("etc/b"));
    assertFalse(exists("usr"));
    assertFalse(exists("etc/.wh.b"));
    assertFalse(b.contains("rootfs/usr/x"));
  }

  @Test
  void opaqueWhiteoutKeepsOnlyTheCurrentLayersEntries() throws Exception {
    apply(new LayerTar().dir("d").file("d/old", "o").dir("d/sub").file("d/sub/deep", "x")
        .file("keep", "k").tar());
    apply(new LayerTar().dir("d").file("d/new1", "n").file("d/.wh..wh..opq", "")
        .file("d/new2", "n").tar());
    assertTrue(exists("d/new1"));
    assertTrue(exists("d/new2"));
    assertFalse(exists("d/old"));
    assertFalse(exists("d/sub"));
    assertTrue(exists("keep"));
  }

  @Test
  void whiteoutsNeverReachOutside() throws Exception {
    apply(new LayerTar().symlink("link", "/etc").tar());
    UnsafeEntryException e = assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("link/.wh.passwd", "").tar()));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("../.wh.etc", "").tar()));
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("a/.wh...", "").tar()));
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("link/.wh..wh..opq", "").tar()));
  }

  @Test
  void hostileEntriesAreRefused() throws Exception {
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("../escape", "x").tar()));
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("/etc/abs", "x").tar()));
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().hardlink("h", "/etc/passwd").tar()));
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().hardlink("h", "../../etc/passwd").tar()));
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().symlink("s", "../../../etc").tar()));
    apply(new LayerTar().symlink("dir", "/tmp").tar());
    assertThrows(UnsafeEntryException.class,
        () -> apply(new LayerTar().file("dir/x", "through the link").tar()));
  }

  @Test
  void hardLinksMayNameFilesOfLowerLayers() throws Exception {
    apply(new LayerTar().file("f", "data").tar());
    apply(new LayerTar().hardlink("g", "f").tar());
    assertEquals("data", Files.readString(tree.resolve("rootfs/g")));
  }

  @Test
  void theBudgetStopsAZipBombEarly() throws Exception {
    budget = new SizeBudget(8L << 20, 0, tmp);
    byte[] bomb = new LayerTar().zeros("big", 64L << 20).gzip();
    assertTrue(bomb.length < (1 << 20));
    SizeBudget.ExceededException e = assertThrows(SizeBudget.ExceededException.class,
        () -> apply(bomb));
    assertTrue(e.getMessage().contains("size limit of 8 MiB"), e.getMessage());
    assertTrue(budget.used() < (9L << 20), "stopped at " + budget.used());
  }

  @Test
  void theDiskReserveStopsExpansion() throws Exception {
    budget = new SizeBudget(1L << 40, Long.MAX_VALUE, tmp);
    SizeBudget.ExceededException e = assertThrows(SizeBudget.ExceededException.class,
        () -> apply(new LayerTar().zeros("big", 16L << 20).gzip()));
    assertTrue(e.getMessage().contains("free disk space"), e.getMessage());
  }
}
