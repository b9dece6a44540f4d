package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code image gc}, in a data dir of its own: with no grace period it empties the store. */
class ImageGcTest extends FunctionalTest {

  @Test
  void imageGcRemovesTreesNoPodUsesAndImagesPastTheGracePeriod() throws IOException {
    Aci gcd = Aci.busybox("example.com/img-gc").exec("/bin/true");
    Path file = gcd.write(jrkt.work(), "img-gc.aci");
    String uuid = jrkt.runPod(List.of(file.toString())).requireUuid();
    jrkt.run("rm", uuid).ok();
    assertTrue(treeCount(jrkt, gcd) > 0, "running a pod renders the image's tree");

    jrkt.run("image", "gc").ok();

    assertEquals(0, treeCount(jrkt, gcd), "image gc removes trees no pod references");
    assertTrue(jrkt.run("image", "list", "--full").ok().out().contains(gcd.imageId()),
        "the image stays within the grace period");

    jrkt.run("image", "gc", "--grace-period=0s").ok();

    assertFalse(jrkt.run("image", "list", "--full").ok().out().contains(gcd.imageId()));
  }

  @Test
  void imageGcKeepsWhatAPreparedPodUses() throws IOException {
    Aci kept = Aci.busybox("example.com/img-gc-kept").exec("/bin/echo", "still runs");
    String uuid = jrkt.prepare(List.of(kept.write(jrkt.work(), "img-gc-kept.aci").toString()));

    jrkt.run("image", "gc", "--grace-period=0s").ok();

    Result r = jrkt.run("run-prepared", uuid).ok();
    assertEquals(List.of("still runs"), r.lines(), r.toString());
  }

  static long treeCount(Jrkt jrkt, Aci image) throws IOException {
    Path trees = jrkt.data().resolve("cas/tree");
    if (!Files.isDirectory(trees)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(trees)) {
      return s.filter(t -> {
        try {
          Path f = t.resolve("image");
          return Files.exists(f) && Files.readString(f).contains(image.imageId());
        } catch (IOException e) {
          return false;
        }
      }).count();
    }
  }

}
