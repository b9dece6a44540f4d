package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.pod.NewPod;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.store.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code image gc} against hand-made pod directories (runs as root, like the command). */
class ImageGcCommandTest {
  private static final String POD_A = "aaaaaaaa-1111-4111-8111-111111111111";
  private static final String POD_B = "bbbbbbbb-2222-4222-8222-222222222222";

  @TempDir Path tmp;
  private Cli cli;
  private TestAci used;
  private TestAci unused;
  private String usedTree;
  private String unusedTree;
  private final List<Process> lockHolders = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    cli = new Cli(tmp.resolve("data"));
    used = TestAci.named("example.com/used").file("u", "u");
    unused = TestAci.named("example.com/unused").file("n", "n");
    cli.fetch(used.write(tmp, "used.aci"));
    cli.fetch(unused.write(tmp, "unused.aci"));
    usedTree = treeOf(used);
    unusedTree = treeOf(unused);
  }

  @AfterEach
  void releaseLocks() throws Exception {
    for (Process p : lockHolders) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutPodsTreesGoAndImagesStayWithinTheGracePeriod() throws Exception {
    Cli.Result r = cli.run("image", "gc").ok();

    assertEquals("", r.out());
    assertEquals(sorted("image gc: removed treestore \"" + usedTree + "\"",
        "image gc: removed treestore \"" + unusedTree + "\""), sorted(r.err().split("\n")));
    assertEquals(Set.of(), trees());
    assertEquals(2, cli.run("image", "list", "--no-legend").ok().lines().size());

    Cli.Result all = cli.run("image", "gc", "--grace-period=0s").ok();

    assertEquals(sorted("successfully removed aci for image: \"" + used.imageId() + "\"",
        "successfully removed aci for image: \"" + unused.imageId() + "\""),
        sorted(all.out().split("\n")));
    assertEquals("image gc: 2 image(s) successfully removed\n", all.err());
    assertEquals("", cli.run("image", "list", "--no-legend").ok().out());
  }

  @Test
  void treesPodsReferenceStayAndKeepTheirImages() throws Exception {
    Path pod = pod("exited-garbage", POD_A);
    Files.writeString(pod.resolve("stage1TreeStoreID"), usedTree);

    Cli.Result r = cli.run("image", "gc", "--grace-period=0s").ok();

    assertEquals(Set.of(usedTree), trees());
    assertEquals("successfully removed aci for image: \"" + unused.imageId() + "\"\n", r.out());
    assertEquals(List.of(used.imageId()),
        cli.run("image", "list", "--fields=id", "--full", "--no-legend").ok().lines());
  }

  @Test
  void overlayPodsReferenceTheirAppsTrees() throws Exception {
    Path pod = pod("run", POD_A);
    Files.writeString(pod.resolve("stage1TreeStoreID"), usedTree);
    Files.createFile(pod.resolve("overlay-prepared"));
    Files.createDirectories(pod.resolve("appsinfo/app"));
    Files.writeString(pod.resolve("appsinfo/app/treeStoreID"), unusedTree);

    cli.run("image", "gc").ok();

    assertEquals(Set.of(usedTree, unusedTree), trees());
  }

  @Test
  void anUnreadablePodKeepsEveryTreeButDoesNotStopTheGc() throws Exception {
    Path bad = pod("prepared", POD_A);
    Files.createDirectories(bad.resolve("stage1TreeStoreID")); // a directory: cannot be read
    Path good = pod("run", POD_B);
    Files.writeString(good.resolve("stage1TreeStoreID"), usedTree);

    Cli.Result r = cli.run("image", "gc").ok();

    assertEquals(Set.of(usedTree, unusedTree), trees());
    assertEquals(List.of(
        "image gc: cannot get the trees of pod \"" + POD_A + "\" (prepared): cannot read "
            + bad.resolve("stage1TreeStoreID") + ": Is a directory",
        "image gc: keeping all trees: the trees of 1 pod(s) are unknown"),
        List.of(r.err().split("\n")));

    // Images without a tree are still collected.
    Files.delete(bad.resolve("stage1TreeStoreID"));
    Files.writeString(bad.resolve("stage1TreeStoreID"), "not a tree id");
    Files.writeString(good.resolve("stage1TreeStoreID"), usedTree);
    try (ImageStore store = ImageStore.open(cli.dataDir)) {
      // Drop the unused image's tree the way a gc without the bad pod would.
      store.gc(java.time.Duration.ofDays(1), Set.of(usedTree), java.time.Duration.ofDays(1));
    }
    Cli.Result images = cli.run("image", "gc", "--grace-period=0s").ok();
    assertEquals("successfully removed aci for image: \"" + unused.imageId() + "\"\n",
        images.out());
    assertTrue(images.err().contains("does not hold a tree-store id"), images.err());
    assertEquals(Set.of(usedTree), trees());
  }

  @Test
  void aPodBeingPreparedKeepsEveryTree() throws Exception {
    try (NewPod preparing = new PodStore(cli.dataDir).create()) {
      Cli.Result r = cli.run("image", "gc").ok();

      assertEquals(Set.of(usedTree, unusedTree), trees());
      assertTrue(r.err().startsWith("image gc: cannot get the trees of pod \""
          + preparing.uuid() + "\" (preparing): it is being prepared"), r.err());
    }
  }

  @Test
  void theImagesOfRunningPodsAreNotCollected() throws Exception {
    TestAci third = TestAci.named("example.com/third").file("t", "t");
    cli.fetch(third.write(tmp, "third.aci"));
    Path pod = pod("run", POD_A);
    Files.writeString(pod.resolve("stage1TreeStoreID"), usedTree);
    Files.writeString(pod.resolve("pod"), "{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\","
        + "\"apps\":[{\"name\":\"a\",\"image\":{\"name\":\"example.com/unused\",\"id\":\""
        + unused.imageId() + "\"}}]}");
    holdLock(pod);
    Thread.sleep(1500); // older than the second gc spares after marking running images used

    Cli.Result r = cli.run("image", "gc", "--grace-period=0s").ok();

    assertEquals("successfully removed aci for image: \"" + third.imageId() + "\"\n", r.out());
    assertEquals(List.of(used.imageId(), unused.imageId()), cli.run("image", "list",
        "--fields=id", "--full", "--no-legend", "--sort=name", "--order=desc").ok().lines());
    assertEquals(Set.of(usedTree), trees());
  }

  @Test
  void aBadGracePeriodIsRefused() {
    cli.run("image", "gc", "--grace-period=soon")
        .failsWith("image gc: --grace-period: invalid duration \"soon\"");
    cli.run("image", "gc", "--grace-period=-1h")
        .failsWith("image gc: --grace-period: must not be negative, got -1h");
    assertEquals(2, trees().size());
  }

  private Path pod(String stateDir, String uuid) throws Exception {
    Path dir = cli.dataDir.resolve("pods").resolve(stateDir).resolve(uuid);
    Files.createDirectories(dir);
    Files.createFile(dir.resolve("pod-created"));
    return dir;
  }

  private String treeOf(TestAci image) throws Exception {
    try (ImageStore store = ImageStore.open(cli.dataDir)) {
      return store.tree(store.resolve(image.imageId()).id()).treeStoreId();
    }
  }

  private Set<String> trees() {
    try (Stream<Path> s = Files.list(cli.dataDir.resolve("cas/tree"))) {
      Set<String> out = new TreeSet<>();
      s.forEach(p -> out.add(p.getFileName().toString()));
      return out;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> sorted(String... lines) {
    List<String> l = new ArrayList<>(List.of(lines));
    l.sort(null);
    return l;
  }

  /** Holds an exclusive flock on {@code dir} in another process, as a running stage1 does. */
  private void holdLock(Path dir) throws Exception {
    Process p = new ProcessBuilder("flock", "-x", "-o", dir.toString(), "sleep", "60")
        .redirectErrorStream(true).start();
    lockHolders.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (new PodStore(cli.dataDir).list().get(0).state() == PodState.RUNNING) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("flock did not take the lock on " + dir);
  }
}
