package io.jrkt.store;

import static io.jrkt.store.StoreTestSupport.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.aci.Compression;
import io.jrkt.aci.TestAci;
import io.jrkt.appc.ImageId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeIdsTest {
  @TempDir Path tmp;
  private Path cas;
  private ImageStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = ImageStore.open(tmp.resolve("data"));
    cas = tmp.resolve("data/cas");
  }

  private static String sha512TreeId(String layers) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-512").digest(layers.getBytes(StandardCharsets.UTF_8));
    return "deps-" + ImageId.ofSha512(d).value();
  }

  private ImageInfo importImage(TestAci image, String file) throws Exception {
    return store.importAci(image.write(tmp.resolve(file), Compression.GZIP));
  }

  private Path memo(ImageInfo i) {
    return cas.resolve("treeids").resolve(i.id().value());
  }

  @Test
  void importRemembersTheTreeIdOfTheImage() throws Exception {
    ImageInfo a = importImage(TestAci.image("example.com/a").file("rootfs/f", "a"), "a.aci");
    String id = sha512TreeId(a.id().value());
    assertEquals(id + " " + a.id() + "\n", Files.readString(memo(a)));
    assertEquals(id, store.tree(a.id()).treeStoreId());
  }

  @Test
  void aMemoAnswersOnlyForItsOwnLayers() throws Exception {
    ImageInfo base = importImage(TestAci.image("example.com/base").label("version", "1")
        .file("rootfs/b", "1"), "base1.aci");
    ImageInfo top = importImage(TestAci.image("example.com/top")
        .dependency("example.com/base", Map.of(), null).file("rootfs/t", "t"), "top.aci");
    String layers1 = top.id() + "," + base.id();
    assertEquals(sha512TreeId(layers1) + " " + layers1 + "\n", Files.readString(memo(top)));

    // A newer import of the dependency makes a new chain, hence a new tree id and memo.
    ImageInfo base2 = importImage(TestAci.image("example.com/base").label("version", "2")
        .file("rootfs/b", "2"), "base2.aci");
    String layers2 = top.id() + "," + base2.id();
    TreeRef t = store.tree(top.id());
    assertEquals(sha512TreeId(layers2), t.treeStoreId());
    assertEquals("2", Files.readString(t.rootfs().resolve("b")));
    assertEquals(sha512TreeId(layers2) + " " + layers2 + "\n", Files.readString(memo(top)));
  }

  @Test
  void aTornOrForeignMemoIsComputedAgain() throws Exception {
    ImageInfo a = importImage(TestAci.image("example.com/a").file("rootfs/f", "a"), "a.aci");
    String id = sha512TreeId(a.id().value());
    for (String bad : new String[] {"", id, id + " " + a.id(), "deps-sha512-12 " + a.id() + "\n",
        id + " " + a.id() + ",sha512-" + "0".repeat(64) + "\n"}) {
      Files.writeString(memo(a), bad);
      assertEquals(id, store.tree(a.id()).treeStoreId(), bad);
      assertEquals(id + " " + a.id() + "\n", Files.readString(memo(a)), bad);
    }
  }

  @Test
  void removalForgetsTheMemoAndGcDropsOrphans() throws Exception {
    ImageInfo a = importImage(TestAci.image("example.com/a").file("rootfs/f", "a"), "a.aci");
    ImageInfo b = importImage(TestAci.image("example.com/b").file("rootfs/f", "b"), "b.aci");
    store.remove(a.id());
    assertFalse(Files.exists(memo(a)));

    // An orphan, as a crash between removing an info record and its memo leaves one.
    Files.delete(cas.resolve("imageinfo").resolve(b.id().value()));
    assertTrue(Files.exists(memo(b)));
    ImageGcResult r = store.gc(Duration.ofDays(1), Set.of(), Duration.ofHours(1));
    assertTrue(r.removedLeftovers().contains("treeids/" + b.id()), r.removedLeftovers().toString());
    assertEquals(List.of(), entries(cas.resolve("treeids")));
  }
}
