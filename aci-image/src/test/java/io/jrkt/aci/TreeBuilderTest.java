package io.jrkt.aci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeBuilderTest {
  @TempDir Path tmp;

  /** Without the right to chown, files keep the creator's ids, and the tree says so. */
  @Test
  void withoutChownTheTreeRecordsTheCreatorsOwnership() throws Exception {
    Path tree = Files.createDirectory(tmp.resolve("tree"));
    Map<String, Object> a = Files.readAttributes(tree, "unix:uid,gid");
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    TreeBuilder b = TreeBuilder.forTree(tree, "img", new Ownership(false, uid, gid));
    TestAci aci = TestAci.image("example.com/o").dir("rootfs/d", 0750)
        .file("rootfs/d/f", "x".getBytes(StandardCharsets.UTF_8), 0640, 4321, 8765)
        .symlink("rootfs/l", "d/f");
    byte[] manifest = AciLayerReader.read(new ByteArrayInputStream(aci.tar()), "img", b,
        m -> { });
    b.writeManifest(manifest);
    b.finish();

    Path f = tree.resolve("rootfs/d/f");
    assertEquals(uid, Files.getAttribute(f, "unix:uid"));
    assertEquals(gid, Files.getAttribute(f, "unix:gid"));
    assertEquals(uid, b.nodes().get("rootfs/d/f").uid());
    assertEquals(uid, Files.getAttribute(tree.resolve("rootfs/l"), "unix:uid",
        LinkOption.NOFOLLOW_LINKS));
    assertEquals(b.hash(), TreeHash.compute(tree));
  }

  @Test
  void rootfsOnlyExtractionPutsTheRootfsAtTheTarget() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("out"));
    TreeBuilder b = TreeBuilder.forRootfs(dir, "img");
    TestAci aci = TestAci.image("example.com/r").dir("rootfs/etc", 0755)
        .file("rootfs/etc/hostname", "h\n").hardlink("rootfs/hn", "rootfs/etc/hostname");
    AciLayerReader.read(new ByteArrayInputStream(aci.tar()), "img", b, m -> { });
    b.writeManifest("{}".getBytes(StandardCharsets.UTF_8));
    b.finish();
    assertEquals("h\n", Files.readString(dir.resolve("etc/hostname")));
    assertEquals("h\n", Files.readString(dir.resolve("hn")));
    assertEquals(false, Files.exists(dir.resolve("manifest")));
    assertEquals(false, Files.exists(dir.resolve("rootfs")));
  }
}
