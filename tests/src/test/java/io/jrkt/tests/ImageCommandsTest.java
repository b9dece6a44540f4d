package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code image} commands on images fetched from local files. */
class ImageCommandsTest extends FunctionalTest {
  private Aci base;
  private Aci app;

  @BeforeAll
  void fetchImages() {
    base = Aci.busybox("example.com/img-base").version("1.0.0").withoutApp()
        .file("/etc/base-only.txt", "base\n");
    app = Aci.busybox("example.com/img-app").version("2.0.0").withoutBusybox()
        .dependsOn("example.com/img-base")
        .file("/etc/app-only.txt", "app\n")
        .exec("/bin/cat", "/etc/app-only.txt");
    jrkt.fetch(base.write(jrkt.work(), "img-base.aci"));
    jrkt.fetch(app.write(jrkt.work(), "img-app.aci"));
  }

  @Test
  void imageListShowsFetchedImages() {
    List<String> table = jrkt.run("image", "list").ok().lines();
    assertEquals(List.of("ID", "NAME", "SIZE", "IMPORT TIME", "LAST USED"),
        Ids.cells(table.get(0)), table.get(0));
    String shortId = base.imageId().substring(0, 19);
    assertTrue(table.stream().anyMatch(l -> l.startsWith(shortId + "\t")
        && Ids.cells(l).get(1).equals("example.com/img-base:1.0.0")), table.toString());

    List<String> full = jrkt.run("image", "list", "--full", "--no-legend").ok().lines();
    List<String> row = full.stream().filter(l -> l.startsWith(app.imageId() + "\t"))
        .map(Ids::cells).findFirst().orElseThrow(() -> new AssertionError(full.toString()));
    assertEquals("example.com/img-app:2.0.0", row.get(1));
    assertTrue(Long.parseLong(row.get(2)) >= app.tar().length / 2,
        "--full prints the size in bytes: " + row);

    List<Object> json = MiniJson.array(MiniJson.parse(
        jrkt.run("image", "list", "--format=json").ok().out()));
    Map<String, Object> entry = json.stream().map(MiniJson::object)
        .filter(o -> base.imageId().equals(o.get("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(json.toString()));
    assertEquals("example.com/img-base:1.0.0", entry.get("name"));
    assertTrue(entry.containsKey("import_time") && entry.containsKey("size"), entry.toString());
  }

  @Test
  void theShortIdFromImageListIsAcceptedByOtherCommands() {
    String shortId = base.imageId().substring(0, 19);

    Result r = jrkt.run("image", "cat-manifest", shortId).ok();

    assertEquals("example.com/img-base", MiniJson.object(MiniJson.parse(r.out())).get("name"));
  }

  @Test
  void catManifestByNameFullIdAndShortId() {
    for (String ref : List.of("example.com/img-app:2.0.0", "example.com/img-app", app.imageId(),
        Ids.shortId(app.imageId()))) {
      Result r = jrkt.run("image", "cat-manifest", ref).ok();
      Map<String, Object> m = MiniJson.object(MiniJson.parse(r.out()));
      assertEquals("example.com/img-app", m.get("name"), ref);
      assertEquals(MiniJson.parse(app.manifestJson()), m, "manifest of " + ref);
    }
  }

  @Test
  void catManifestAcceptsTheFullHundredTwentyEightHexId() {
    Result r = jrkt.run("image", "cat-manifest", Aci.fullSha512(app.tar())).ok();

    assertEquals("example.com/img-app", MiniJson.object(MiniJson.parse(r.out())).get("name"));
  }

  @Test
  void exportReproducesTheImageWithAnIdenticalHash() throws IOException {
    Path out = jrkt.work().resolve("exported-base.aci");

    jrkt.run("image", "export", base.imageId(), out.toString()).ok();

    byte[] tar = uncompressed(Files.readAllBytes(out));
    assertEquals(base.imageId(), Aci.fullSha512(tar).substring(0, 71));
    jrkt.run("image", "export", base.imageId(), out.toString()).rejected();
    jrkt.run("image", "export", "--overwrite", base.imageId(), out.toString()).ok();
  }

  @Test
  void extractYieldsTheImageFilesAndRootfsOnlyLeavesOutTheManifest() throws IOException {
    Path dir = jrkt.work().resolve("extract");
    Path rootfsOnly = jrkt.work().resolve("extract-rootfs");

    jrkt.run("image", "extract", base.imageId(), dir.toString()).ok();
    jrkt.run("image", "extract", "--rootfs-only", base.imageId(), rootfsOnly.toString()).ok();

    assertArrayEquals(Files.readAllBytes(Aci.BUSYBOX),
        Files.readAllBytes(dir.resolve("rootfs/bin/busybox")));
    assertEquals("base\n", Files.readString(dir.resolve("rootfs/etc/base-only.txt")));
    assertEquals(MiniJson.parse(base.manifestJson()),
        MiniJson.parse(Files.readString(dir.resolve("manifest"))));
    assertEquals("busybox", Files.readSymbolicLink(dir.resolve("rootfs/bin/sh")).toString());
    assertEquals("base\n", Files.readString(rootfsOnly.resolve("etc/base-only.txt")));
    assertFalse(Files.exists(rootfsOnly.resolve("manifest")));
    jrkt.run("image", "extract", base.imageId(), dir.toString()).rejected();
  }

  @Test
  void extractOfTheAppImageHasNoDependencyFilesButRenderHasThem() throws IOException {
    Path extracted = jrkt.work().resolve("extract-app");
    Path rendered = jrkt.work().resolve("render-app");

    jrkt.run("image", "extract", "--rootfs-only", app.imageId(), extracted.toString()).ok();
    jrkt.run("image", "render", "--rootfs-only", app.imageId(), rendered.toString()).ok();

    assertTrue(Files.exists(extracted.resolve("etc/app-only.txt")));
    assertFalse(Files.exists(extracted.resolve("etc/base-only.txt")));
    assertEquals("app\n", Files.readString(rendered.resolve("etc/app-only.txt")));
    assertEquals("base\n", Files.readString(rendered.resolve("etc/base-only.txt")));
    assertTrue(Files.isExecutable(rendered.resolve("bin/busybox")));
  }

  @Test
  void verifyPassesOnAGoodTreeAndFailsOnACorruptedOne() throws IOException {
    Aci verified = Aci.busybox("example.com/img-verify").file("/etc/data.txt", "original\n");
    jrkt.fetch(verified.write(jrkt.work(), "img-verify.aci"));
    jrkt.run("image", "render", verified.imageId(), jrkt.work().resolve("render-verify")
        .toString()).ok();
    jrkt.run("image", "verify", verified.imageId()).ok();

    Path data = treeFile(verified, "rootfs/etc/data.txt");
    Files.writeString(data, "tampered\n");

    // verify either reports the corruption (non-zero exit) or renders the tree again.
    Result r = jrkt.run("image", "verify", verified.imageId());
    if (r.exit() == 0) {
      assertEquals("original\n", Files.readString(treeFile(verified, "rootfs/etc/data.txt")),
          "verify exited 0 but left the tampered file in place:\n" + r);
    } else {
      assertEquals(Result.FAILURE, r.exit(), r.toString());
    }
  }

  /** A file of the image's rendered tree in the tree store. */
  private Path treeFile(Aci image, String relative) throws IOException {
    Path trees = jrkt.data().resolve("cas/tree");
    try (Stream<Path> s = Files.list(trees)) {
      for (Path tree : s.toList()) {
        Path imageFile = tree.resolve("image");
        if (Files.exists(imageFile)
            && Files.readString(imageFile).trim().startsWith(image.imageId())) {
          return tree.resolve(relative);
        }
      }
    }
    throw new AssertionError("no rendered tree of " + image.imageId() + " under " + trees);
  }

  @Test
  void rmRemovesAnImageByIdOrNameAndRefusesUnknownOnes() {
    Aci one = Aci.busybox("example.com/img-rm-one");
    Aci two = Aci.busybox("example.com/img-rm-two");
    jrkt.fetch(one.write(jrkt.work(), "img-rm-one.aci"));
    jrkt.fetch(two.write(jrkt.work(), "img-rm-two.aci"));

    jrkt.run("image", "rm", one.imageId()).ok();
    jrkt.run("image", "rm", "example.com/img-rm-two").ok();

    String list = jrkt.run("image", "list", "--full").ok().out();
    assertFalse(list.contains(one.imageId()), list);
    assertFalse(list.contains(two.imageId()), list);
    jrkt.run("image", "cat-manifest", one.imageId()).rejected();
    Result again = jrkt.run("image", "rm", one.imageId());
    assertEquals(Result.FAILURE, again.exit(), again.toString());
  }

  @Test
  void aPodRunFromARemovedImageStillReportsItsManifest() {
    Aci gone = Aci.busybox("example.com/img-gone").exec("/bin/echo", "still here");
    Path file = gone.write(jrkt.work(), "img-gone.aci");
    String uuid = jrkt.runPod(List.of(file.toString())).requireUuid();

    jrkt.run("image", "rm", gone.imageId()).ok();

    assertExited(uuid, 0);
    assertEquals(gone.imageId(), MiniJson.object(MiniJson.object(MiniJson.array(
        podManifest(uuid).get("apps")).get(0)).get("image")).get("id"));
  }

  private static byte[] uncompressed(byte[] aci) throws IOException {
    if (aci.length > 2 && (aci[0] & 0xff) == 0x1f && (aci[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(aci))) {
        return in.readAllBytes();
      }
    }
    return aci;
  }
}
