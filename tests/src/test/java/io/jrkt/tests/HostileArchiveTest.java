package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and hostile image files: each is refused with a one-line error and exit 254, by fetch and
 * by run, leaving the image store, the pods directory and the rest of the file system as they
 * were. Paths the archives aim at are unique per run, so their absence proves no escape.
 */
class HostileArchiveTest extends FunctionalTest {
  /** Where escaping entries would land; nothing may ever appear there. */
  private static final String ESCAPE = "/tmp/jrkt-esc-"
      + UUID.randomUUID().toString().substring(0, 13);
  /** Deeper than any rootfs below the test's temp dir, short enough for a ustar link name. */
  private static final String DEEP = "../".repeat(16);

  @BeforeAll
  void fetchAndRunAGoodImage() {
    // A good pod first, so that every directory a first run creates already exists.
    Path good = Aci.busybox("example.com/good").write(jrkt.work(), "good.aci");
    jrkt.fetch(good);
    jrkt.runPod(List.of(good.toString())).result().ok();
  }

  @AfterAll
  void removeEscapes() {
    // Only if a test failed: remove what an escaping entry created.
    Jrkt.exec(List.of("rm", "-rf", "--one-file-system", ESCAPE, ESCAPE + "-dir",
        ESCAPE + "-link"));
  }

  static Stream<Arguments> hostileArchives() {
    List<Arguments> cases = new ArrayList<>();
    add(cases, "not a tar", () -> random(4096, 1));
    add(cases, "plain text", () -> "this is not an image\n".getBytes());
    add(cases, "empty file", () -> new byte[0]);
    add(cases, "truncated gzip", () -> {
      byte[] gz = Compression.GZIP.compress(good().tar());
      return Arrays.copyOf(gz, gz.length / 2);
    });
    add(cases, "corrupt gzip", () -> {
      byte[] gz = Compression.GZIP.compress(good().tar());
      for (int i = gz.length / 2; i < gz.length / 2 + 64; i++) {
        gz[i] ^= 0x5a;
      }
      return gz;
    });
    add(cases, "truncated tar", () -> {
      byte[] tar = good().tar();
      return Arrays.copyOf(tar, tar.length / 2 + 100);
    });
    add(cases, "missing manifest", () -> {
      TarBuilder t = new TarBuilder();
      good().addRootfs(t);
      return t.finish();
    });
    add(cases, "manifest not JSON", () -> withManifest("{\"acKind\": \"ImageManifest\", "));
    add(cases, "manifest of the wrong kind", () -> withManifest(good().manifestJson()
        .replace("\"ImageManifest\"", "\"PodManifest\"")));
    add(cases, "manifest without a name", () -> withManifest(good().manifestJson()
        .replace("\"name\":\"example.com/hostile\",", "")));
    add(cases, "bad AC name", () -> gzip(Aci.busybox("Example.com/Bad_Name!").tar()));
    add(cases, "missing os label", () -> gzip(good().withoutLabel("os").tar()));
    add(cases, "missing arch label", () -> gzip(good().withoutLabel("arch").tar()));
    add(cases, "entry with ../ out of rootfs", () -> withEntry(t ->
        t.file("rootfs/" + DEEP + ESCAPE.substring(1), "escaped\n")));
    add(cases, "entry with ../ at the top", () -> withEntry(t ->
        t.file("../../../../../../../../../.." + ESCAPE, "escaped\n")));
    add(cases, "absolute entry", () -> withEntry(t -> t.file(ESCAPE, "escaped\n")));
    add(cases, "symlink escaping rootfs", () -> withEntry(t ->
        t.symlink("rootfs/escape", DEEP + ESCAPE.substring(1) + "-link")));
    add(cases, "write through an escaping symlink", () -> withEntry(t -> t
        .symlink("rootfs/via", DEEP + ESCAPE.substring(1) + "-dir")
        .file("rootfs/via/file", "escaped\n")));
    add(cases, "hard link to a host path", () -> withEntry(t ->
        t.hardLink("rootfs/passwd", "/etc/passwd")));
    add(cases, "hard link with ../ out of the archive", () -> withEntry(t ->
        t.hardLink("rootfs/hostname", "rootfs/" + DEEP + "etc/hostname")));
    add(cases, "hard link to the manifest", () -> withEntry(t ->
        t.hardLink("rootfs/manifest-copy", "manifest")));
    add(cases, "character device", () -> withEntry(t -> t.charDevice("rootfs/mem2", 1, 1)));
    add(cases, "block device", () -> withEntry(t -> t
        .directory("rootfs/var").blockDevice("rootfs/var/sda9", 8, 0)));
    return cases.stream();
  }

  /**
   * Archives that may be refused, or accepted with the hostile part made harmless: device nodes
   * below rootfs/dev are skipped, since the stage1 provides /dev.
   */
  static Stream<Arguments> neutralisedArchives() {
    List<Arguments> cases = new ArrayList<>();
    add(cases, "character device in /dev", () -> withEntry(t ->
        t.charDevice("rootfs/dev/mem2", 1, 1)));
    add(cases, "block device in /dev", () -> withEntry(t ->
        t.blockDevice("rootfs/dev/sda9", 8, 0)));
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String name, Supplier<byte[]> archive) {
    cases.add(Arguments.of(name, archive));
  }

  private static Aci good() {
    return Aci.busybox("example.com/hostile");
  }

  private static byte[] gzip(byte[] tar) {
    return Compression.GZIP.compress(tar);
  }

  private static byte[] withManifest(String manifest) {
    TarBuilder t = new TarBuilder().file("manifest", manifest);
    good().addRootfs(t);
    return gzip(t.finish());
  }

  private interface Entries {
    void add(TarBuilder t);
  }

  /** A valid image with hostile entries appended after its rootfs. */
  private static byte[] withEntry(Entries hostile) {
    Aci aci = good();
    TarBuilder t = new TarBuilder().file("manifest", aci.manifestJson());
    aci.addRootfs(t);
    hostile.add(t);
    return gzip(t.finish());
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "fetch refuses: {0}")
  @MethodSource("hostileArchives")
  void fetchRefuses(String name, Supplier<byte[]> archive) {
    Path file = Aci.writeBytes(jrkt.work().resolve(fileName(name)), archive.get());
    List<String> images = imageList();
    List<String> before = jrkt.snapshot();

    Result r = jrkt.run(Jrkt.INSECURE, "fetch", file.toString());

    r.rejected();
    assertUnchanged(images, before);
  }

  @ParameterizedTest(name = "run refuses: {0}")
  @MethodSource("hostileArchives")
  void runRefuses(String name, Supplier<byte[]> archive) {
    Path file = Aci.writeBytes(jrkt.work().resolve(fileName(name)), archive.get());
    List<String> images = imageList();
    List<String> before = jrkt.snapshot();

    Result r = jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, file.toString());

    r.rejected();
    assertUnchanged(images, before);
  }

  @ParameterizedTest(name = "fetch and run refuse or neutralise: {0}")
  @MethodSource("neutralisedArchives")
  void fetchAndRunRefuseOrNeutralise(String name, Supplier<byte[]> archive) throws IOException {
    Path file = Aci.writeBytes(jrkt.work().resolve(fileName(name)), archive.get());
    List<String> images = imageList();
    List<String> before = jrkt.snapshot();

    Result fetch = jrkt.run(Jrkt.INSECURE, "fetch", file.toString());
    if (fetch.exit() != 0) {
      fetch.rejected();
      assertUnchanged(images, before);
    }
    Result run = jrkt.run(Jrkt.INSECURE, "run", Jrkt.FLY, file.toString());
    if (run.exit() != 0) {
      run.rejected();
    }

    assertNoEscape();
    assertEquals(List.of(), deviceNodes(jrkt.data()), "device nodes in the store or a pod");
  }

  /** Character and block devices below {@code dir}. */
  private static List<Path> deviceNodes(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> {
        try {
          int type = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)
              & 0170000;
          return type == 0020000 || type == 0060000;
        } catch (IOException e) {
          return false;
        }
      }).toList();
    }
  }

  private List<String> imageList() {
    return jrkt.run("image", "list", "--full", "--no-legend").ok().lines();
  }

  private void assertUnchanged(List<String> images, List<String> before) {
    assertEquals(images, imageList(), "image list changed");
    assertEquals(before, jrkt.snapshot(), "the store or pods directory changed");
    assertNoEscape();
  }

  private static void assertNoEscape() {
    for (String p : List.of(ESCAPE, ESCAPE + "-dir", ESCAPE + "-link", ESCAPE + "-dir/file")) {
      assertFalse(Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS),
          "an archive entry escaped to " + p);
    }
  }

  private static String fileName(String caseName) {
    return caseName.replaceAll("[^a-zA-Z0-9]+", "-") + ".aci";
  }
}
