package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pods whose roots are overlays: the tree store's tree is the lower layer, the pod's own
 * {@code overlay/<treeStoreID>/upper|work} directories the rest, mounted by the overlay helper in
 * the pod's mount namespace only. Covers both stage1 flavors, prepare + run-prepared, enter,
 * stop, gc, rm, kill -9, {@code --no-overlay}, the copy fallback and image gc.
 */
class OverlayTest extends FunctionalTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private int files;

  // ---- helpers ----

  private Path image(String name, String script) {
    return Aci.busybox("example.com/" + name).shell(script).write(jrkt.work(), name + ".aci");
  }

  private Path nspawnStage1() {
    Path repo = Path.of(System.getProperty("jrkt.bin")).toAbsolutePath().normalize().getParent();
    Path stage1 = repo.resolve("stage1-nspawn/target/stage1-coreos.aci");
    assumeTrue(Files.isRegularFile(stage1), "the nspawn stage1 is not built");
    assumeTrue(Jrkt.exec(List.of("systemd-nspawn", "--version")) == 0,
        "systemd-nspawn is not installed");
    return stage1;
  }

  private Path uuidFile() {
    return jrkt.work().resolve("overlay-uuid-" + (++files));
  }

  private String stage1Flag(boolean nspawn) {
    return nspawn ? "--stage1-path=" + nspawnStage1() : Jrkt.FLY;
  }

  /** Runs a pod to its end; returns its UUID. */
  private String runToEnd(boolean nspawn, String... args) {
    Path uuid = uuidFile();
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run", stage1Flag(nspawn),
        "--uuid-file-save=" + uuid));
    cmd.addAll(List.of(args));
    jrkt.run(cmd).ok();
    return Jrkt.read(uuid).trim();
  }

  private record Background(Jrkt.Running running, String uuid) {}

  /** Starts a pod whose app sleeps; returns once the stage1 has written its pid. */
  private Background runInBackground(boolean nspawn, Path aci) {
    Path uuid = uuidFile();
    Jrkt.Running running = jrkt.start(List.of(Jrkt.INSECURE, "run", stage1Flag(nspawn),
        "--uuid-file-save=" + uuid, aci.toString()));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      if (!running.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + running.await(Duration.ofSeconds(1)));
      }
      if (Files.exists(uuid) && !Jrkt.read(uuid).isBlank()) {
        String u = Jrkt.read(uuid).trim();
        Path dir = runDir(u);
        if (Files.exists(dir.resolve("pid")) || Files.exists(dir.resolve("ppid"))) {
          sleep(300); // the app is started right after
          return new Background(running, u);
        }
      }
      if (System.nanoTime() > deadline) {
        running.process().destroyForcibly();
        throw new AssertionError("the pod did not start within " + WAIT);
      }
      sleep(20);
    }
  }

  private Path runDir(String uuid) {
    return jrkt.data().resolve("pods/run").resolve(uuid);
  }

  private String treeId(Path podDir, String app) {
    return Jrkt.read(podDir.resolve("appsinfo").resolve(app).resolve("treeStoreID")).trim();
  }

  private Path upper(Path podDir, String app) {
    return podDir.resolve("overlay").resolve(treeId(podDir, app)).resolve("upper").resolve(app);
  }

  private Path treeRootfs(String treeId) {
    return jrkt.data().resolve("cas/tree").resolve(treeId).resolve("rootfs");
  }

  /**
   * Overlay mounts below this test's data dir in any mount namespace of the machine (from every
   * process's mountinfo): what must be gone once the pods that made them are.
   */
  private List<String> overlayMountsAnywhere() {
    List<String> found = new ArrayList<>();
    String data = jrkt.data().toString() + "/";
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().matches("\\d+")) {
          continue;
        }
        String text;
        try {
          text = Files.readString(p.resolve("mountinfo"));
        } catch (IOException e) {
          continue; // the process ended meanwhile
        }
        for (String line : text.split("\n")) {
          String[] f = line.split(" ");
          int dash = line.indexOf(" - ");
          if (f.length > 4 && f[4].startsWith(data) && dash > 0
              && line.substring(dash + 3).startsWith("overlay ")) {
            found.add(p.getFileName() + ":" + f[4]);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Polls until no overlay of this data dir is mounted anywhere, or fails. */
  private void assertNoOverlaysLeft() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> left = overlayMountsAnywhere();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      sleep(100);
      left = overlayMountsAnywhere();
    }
    assertEquals(List.of(), left, "overlay mounts outlived their pods");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> names(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(Path dir, String fileName) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(fileName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- the tests ----

  @Test
  void appWritesLandInThePodsUpperLayerNotInTheTreeStore() {
    for (boolean nspawn : new boolean[] {false, true}) {
      if (nspawn && !Files.isRegularFile(Path.of(System.getProperty("jrkt.bin"))
          .toAbsolutePath().getParent().resolve("stage1-nspawn/target/stage1-coreos.aci"))) {
        continue;
      }
      Path aci = Aci.busybox("example.com/writer").file("etc/removeme", "x")
          .shell("echo written-by-app > /written; rm /etc/removeme; test -L /etc/mtab; exit 7")
          .write(jrkt.work(), "writer.aci");
      Path uuidFile = uuidFile();
      Result r = jrkt.run(Jrkt.INSECURE, "run", stage1Flag(nspawn), "--uuid-file-save="
          + uuidFile, aci.toString());
      String uuid = Jrkt.read(uuidFile).trim();
      assertEquals(7, r.exit(), r.toString());
      assertExited(uuid, 7);
      Path pod = runDir(uuid);
      assertTrue(Files.exists(pod.resolve("overlay-prepared")));
      assertEquals(List.of(), names(pod.resolve("stage1/rootfs")),
          "seen from the host, the stage1 rootfs is an empty mount point");
      Path upper = upper(pod, "writer");
      assertEquals("written-by-app\n", Jrkt.read(upper.resolve("written")));
      Path tree = treeRootfs(treeId(pod, "writer"));
      assertFalse(Files.exists(tree.resolve("written")), "the lower layer stays untouched");
      assertTrue(Files.exists(tree.resolve("etc/removeme")),
          "a deletion in the pod is a whiteout in its upper layer only");
      assertTrue(Files.exists(upper.resolve("etc/removeme"),
          java.nio.file.LinkOption.NOFOLLOW_LINKS));
      assertFalse(contains(pod, "busybox"), "no image file is copied into the pod");
      String s1 = Jrkt.read(pod.resolve("stage1TreeStoreID")).trim();
      assertEquals("7", Jrkt.read(pod.resolve("overlay").resolve(s1)
          .resolve("upper/rkt/status/writer")).trim(), "the stage1 writes into its upper layer");
      assertEquals(List.of(), jrkt.mountsBelowRoot());
      assertNoOverlaysLeft();
    }
  }

  @Test
  void twoPodsOfOneImageShareTheLowerTree() {
    Path aci = image("shared", "sleep 60");
    jrkt.fetch(aci);
    Background a = runInBackground(false, aci);
    Background b = runInBackground(false, aci);
    try {
      String treeA = treeId(runDir(a.uuid()), "shared");
      assertEquals(treeA, treeId(runDir(b.uuid()), "shared"));
      // Both pods' app roots are overlays on the same lower directory, seen from the apps.
      String lower = "lowerdir=" + treeRootfs(treeA);
      for (Background p : List.of(a, b)) {
        int pid = Integer.parseInt(Jrkt.read(runDir(p.uuid()).resolve("pid")).trim());
        String mounts = Jrkt.read(Path.of("/proc/" + pid + "/mounts"));
        assertTrue(mounts.lines().anyMatch(l -> l.startsWith("overlay / overlay ")
            && l.contains(lower)), mounts);
      }
      assertNotEquals(upper(runDir(a.uuid()), "shared"), upper(runDir(b.uuid()), "shared"));
      assertEquals(List.of(), jrkt.mountsBelowRoot(), "nothing is mounted in the host");
    } finally {
      jrkt.run("stop", "--force", a.uuid(), b.uuid());
      a.running().await(WAIT);
      b.running().await(WAIT);
    }
    assertNoOverlaysLeft();
  }

  @Test
  void noOverlayCopiesTheTrees() {
    Path aci = image("copied", "echo x > /written");
    String uuid = runToEnd(false, "--no-overlay", aci.toString());
    Path pod = runDir(uuid);
    assertFalse(Files.exists(pod.resolve("overlay-prepared")));
    assertFalse(Files.exists(pod.resolve("overlay")));
    Path rootfs = pod.resolve("stage1/rootfs/opt/stage2/copied/rootfs");
    assertTrue(Files.isRegularFile(rootfs.resolve("bin/busybox")));
    assertEquals("x\n", Jrkt.read(rootfs.resolve("written")));
    assertExited(uuid, 0);
  }

  @Test
  void preparedPodsMountTheirOverlaysWhenTheyRun() {
    for (boolean nspawn : new boolean[] {false, true}) {
      if (nspawn && !Files.isRegularFile(Path.of(System.getProperty("jrkt.bin"))
          .toAbsolutePath().getParent().resolve("stage1-nspawn/target/stage1-coreos.aci"))) {
        continue;
      }
      Path aci = image("prepared", "echo from-prepared > /written; exit 3");
      Result p = jrkt.run(Jrkt.INSECURE, "prepare", "--quiet", stage1Flag(nspawn),
          aci.toString()).ok();
      String uuid = p.lines().get(0);
      Path prepared = jrkt.data().resolve("pods/prepared").resolve(uuid);
      assertTrue(Files.exists(prepared.resolve("overlay-prepared")));
      assertEquals(List.of(), names(prepared.resolve("stage1/rootfs")));
      Result r = jrkt.run("run-prepared", "--dns=192.0.2.53", uuid);
      assertEquals(3, r.exit(), r.toString());
      assertEquals("from-prepared\n", Jrkt.read(upper(runDir(uuid), "prepared")
          .resolve("written")));
      String s1 = Jrkt.read(runDir(uuid).resolve("stage1TreeStoreID")).trim();
      assertTrue(Jrkt.read(runDir(uuid).resolve("overlay").resolve(s1)
          .resolve("upper/etc/rkt-resolv.conf")).contains("nameserver 192.0.2.53"),
          "run-prepared writes the DNS file into the stage1's upper layer");
      assertExited(uuid, 3);
      assertNoOverlaysLeft();
    }
  }

  @Test
  void enterAndStopWorkInTheRunningPodsNamespaceThenGcLeavesNothing() {
    for (boolean nspawn : new boolean[] {false, true}) {
      if (nspawn && !Files.isRegularFile(Path.of(System.getProperty("jrkt.bin"))
          .toAbsolutePath().getParent().resolve("stage1-nspawn/target/stage1-coreos.aci"))) {
        continue;
      }
      Path aci = image("sleeper", "sleep 60");
      Background p = runInBackground(nspawn, aci);
      Result entered = jrkt.run("enter", p.uuid(), "/bin/sh", "-c",
          "echo from-enter > /entered; cat /entered");
      assertEquals(0, entered.exit(), entered.toString());
      assertEquals("from-enter\n", entered.out());
      Path upper = upper(runDir(p.uuid()), "sleeper");
      assertEquals("from-enter\n", Jrkt.read(upper.resolve("entered")));
      assertFalse(overlayMountsAnywhere().isEmpty(), "the running pod has its overlays");

      jrkt.run("stop", p.uuid()).ok();
      Result end = p.running().await(WAIT);
      assertEquals(143, end.exit(), end.toString());
      assertExited(p.uuid(), 143);
      assertNoOverlaysLeft();

      Result rm = jrkt.run("rm", p.uuid());
      assertEquals(0, rm.exit(), rm.toString());
      assertFalse(jrkt.podDirs().stream().anyMatch(d -> d.endsWith(p.uuid())));
      assertEquals(List.of(), jrkt.mountsBelowRoot());
      assertNoOverlaysLeft();
    }
  }

  @Test
  void killingTheStage1WithSigkillTakesTheOverlaysAlong() {
    Path aci = image("killed", "sleep 60");
    Background p = runInBackground(false, aci);
    assertFalse(overlayMountsAnywhere().isEmpty());
    p.running().kill9();
    assertNoOverlaysLeft();
    assertEquals("exited", status(p.uuid()).get("state"));
    Result gc = jrkt.run("gc", "--grace-period=0s");
    assertEquals(0, gc.exit(), gc.toString());
    assertFalse(jrkt.podDirs().stream().anyMatch(d -> d.endsWith(p.uuid())),
        jrkt.podDirs().toString());
    assertEquals(List.of(), jrkt.mountsBelowRoot());
  }

  @Test
  void imageRmAndGcKeepTreesThatPodsUseAsLowerLayers() {
    Path aci = image("kept", "cat /etc/kept-file");
    String id = jrkt.fetch(aci);
    String uuid = jrkt.prepare(List.of(aci.toString()));
    Path prepared = jrkt.data().resolve("pods/prepared").resolve(uuid);
    String tree = treeId(prepared, "kept");

    jrkt.run("image", "rm", id).ok();
    assertTrue(Files.isDirectory(treeRootfs(tree)), "image rm keeps a tree a pod uses");
    jrkt.run("image", "gc", "--grace-period=0s").ok();
    assertTrue(Files.isDirectory(treeRootfs(tree)), "image gc keeps a tree a pod uses");

    jrkt.run("run-prepared", uuid).exits(1); // the file is not in the image: cat fails
    jrkt.run("rm", uuid).ok();
    jrkt.run("image", "gc", "--grace-period=0s").ok();
    assertFalse(Files.exists(treeRootfs(tree)), "image gc removes the tree once unused");
  }

  /**
   * A data dir on a filesystem that cannot hold an overlay's upper layer (an overlayfs, made by
   * this test) makes pods copy their trees, with a note under --debug.
   */
  @Test
  void unsupportedUpperFilesystemFallsBackToCopying() throws Exception {
    Path base = Files.createDirectories(jrkt.work().resolve("ovl-fs"));
    Path lower = Files.createDirectories(base.resolve("lower"));
    Path up = Files.createDirectories(base.resolve("upper"));
    Path work = Files.createDirectories(base.resolve("work"));
    Path merged = Files.createDirectories(base.resolve("merged"));
    assertEquals(0, Jrkt.exec(List.of("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=" + lower + ",upperdir=" + up + ",workdir=" + work, merged.toString())));
    Path data = merged.resolve("data");
    try {
      Path aci = image("fallback", "echo y > /written");
      Path uuidFile = uuidFile();
      Result r = other(data, Jrkt.INSECURE, "--debug", "run",
          "--stage1-path=" + jrkt.bin().resolve("stage1-fly.aci"),
          "--uuid-file-save=" + uuidFile, aci.toString());
      assertEquals(0, r.exit(), r.toString());
      assertTrue(r.err().contains("overlayfs is not available, copying the image trees"),
          r.err());
      Path pod = data.resolve("pods/run").resolve(Jrkt.read(uuidFile).trim());
      assertFalse(Files.exists(pod.resolve("overlay-prepared")));
      assertEquals("y\n", Jrkt.read(pod.resolve("stage1/rootfs/opt/stage2/fallback/rootfs"
          + "/written")));
    } finally {
      other(data, "gc", "--grace-period=0s");
      Jrkt.exec(List.of("umount", merged.toString()));
    }
  }

  /** jrkt with another data dir than the harness's. */
  private Result other(Path data, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(jrkt.bin().resolve("jrkt").toString(),
        "--dir=" + data));
    cmd.addAll(List.of(args));
    Path out = jrkt.work().resolve("other-out-" + (++files));
    Path err = jrkt.work().resolve("other-err-" + files);
    Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null"))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
    return new Result(cmd, p.exitValue(), Jrkt.read(out), Jrkt.read(err));
  }
}
