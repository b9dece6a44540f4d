package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Stage1SelectorTest {
  private static final String FLY = "coreos.com/rkt/stage1-fly";
  private static final String COREOS = "coreos.com/rkt/stage1-coreos";

  @TempDir
  Path tmp;
  Path bin;
  FakeCatalog catalog;
  List<String> notes;

  /** A store whose "ACI files" hold "name version"; imports are counted. */
  static final class FakeCatalog implements Stage1Catalog {
    final Map<ImageId, Stage1Image> images = new LinkedHashMap<>();
    int imports;

    Stage1Image add(String name, String version) {
      try {
        byte[] d = MessageDigest.getInstance("SHA-512").digest((name + " " + version).getBytes());
        ImageId id = ImageId.ofSha512(d);
        Stage1Image img = new Stage1Image(id, TestImages.manifest(name).label("version", version)
            .build());
        images.put(id, img);
        return img;
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public Optional<Stage1Image> byId(String idOrPrefix) {
      return images.values().stream().filter(i -> i.id().value().startsWith(idOrPrefix))
          .findFirst();
    }

    @Override
    public Optional<Stage1Image> byName(String name, Optional<String> version) {
      Stage1Image found = null;
      for (Stage1Image i : images.values()) {
        if (i.name().equals(name) && (version.isEmpty()
            || version.equals(i.manifest().version()))) {
          found = i;
        }
      }
      return Optional.ofNullable(found);
    }

    @Override
    public Stage1Image importFile(Path aci) throws Stage1Exception {
      imports++;
      try {
        String[] nv = Files.readString(aci).trim().split(" ");
        return add(nv[0], nv[1]);
      } catch (IOException e) {
        throw new Stage1Exception("cannot import " + aci);
      }
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    bin = Files.createDirectories(tmp.resolve("bin"));
    catalog = new FakeCatalog();
    notes = new ArrayList<>();
  }

  private Stage1Selector selector(Stage1Config config) {
    return new Stage1Selector(catalog, new Stage1ImportCache(tmp.resolve("data/stage1-imports")),
        bin, config, "1.30.0", notes::add);
  }

  private Stage1Choice select(String name, String path, String hash, String fromDir, String url)
      throws Exception {
    return selector(Stage1Config.NONE).select(Stage1Request.fromFlags(name, path, hash, fromDir,
        url));
  }

  private Path aci(Path file, String name, String version) throws IOException {
    return Files.writeString(file, name + " " + version + "\n");
  }

  @Test
  void nameUsesTheBundledImageOnceThenTheCache() throws Exception {
    aci(bin.resolve("stage1-fly.aci"), FLY, "0.1.0");
    Stage1Choice c = select(FLY, null, null, null, null);
    assertEquals(FLY, c.image().name());
    assertEquals(Stage1Flavor.FLY, c.flavor());
    assertTrue(c.reason().contains("imported into the store now"), c.reason());
    Stage1Choice again = select(FLY, null, null, null, null);
    assertEquals(c.image().id(), again.image().id());
    assertTrue(again.reason().contains("imported before, unchanged"), again.reason());
    assertEquals(1, catalog.imports);
  }

  @Test
  void aRebuiltBundledImageIsImportedAgain() throws Exception {
    Path f = aci(bin.resolve("stage1-fly.aci"), FLY, "0.1.0");
    select(FLY, null, null, null, null);
    aci(f, FLY, "0.2.0");
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertEquals(Optional.of("0.2.0"), select(FLY, null, null, null, null).image().manifest()
        .version());
    assertEquals(2, catalog.imports);
  }

  @Test
  void anImageRewrittenInPlaceWithItsOldSizeAndMtimeIsImportedAgain() throws Exception {
    Path f = aci(bin.resolve("stage1-fly.aci"), FLY, "0.1.0");
    select(FLY, null, null, null, null);
    FileTime mtime = Files.getLastModifiedTime(f);
    aci(f, FLY, "0.2.0");
    Files.setLastModifiedTime(f, mtime);
    assertEquals(Optional.of("0.2.0"), select(FLY, null, null, null, null).image().manifest()
        .version());
    assertEquals(2, catalog.imports);
  }

  @Test
  void aVersionTheBundledImageLacksIsLookedUpInTheStore() throws Exception {
    aci(bin.resolve("stage1-fly.aci"), FLY, "0.1.0");
    Stage1Image old = catalog.add(FLY, "1.29.0");
    assertEquals(old.id(), select(FLY + ":1.29.0", null, null, null, null).image().id());
    Stage1Exception e = assertThrows(Stage1Exception.class,
        () -> select(FLY + ":9.9", null, null, null, null));
    assertTrue(e.getMessage().startsWith("stage1 coreos.com/rkt/stage1-fly:9.9 "
        + "(--stage1-name=coreos.com/rkt/stage1-fly:9.9) is not in the store"), e.getMessage());
  }

  @Test
  void unknownNamesComeFromTheStore() throws Exception {
    Stage1Image mine = catalog.add("example.com/my-stage1", "1");
    Stage1Choice c = select("example.com/my-stage1", null, null, null, null);
    assertEquals(mine.id(), c.image().id());
    assertEquals("custom", c.flavor().name());
    assertThrows(Stage1Exception.class, () -> select("example.com/none", null, null, null, null));
  }

  @Test
  void pathIsImportedOnceAndCachedBySizeAndMtime() throws Exception {
    Path f = aci(tmp.resolve("custom.aci"), "example.com/s1", "1");
    Stage1Choice a = select(null, f.toString(), null, null, null);
    Stage1Choice b = select(null, f.toString(), null, null, null);
    assertEquals(a.image().id(), b.image().id());
    assertEquals(1, catalog.imports);
    assertTrue(Files.readString(tmp.resolve("data/stage1-imports")).contains(f.toString()));
    // The image vanished from the store (image gc): imported again.
    catalog.images.clear();
    select(null, f.toString(), null, null, null);
    assertEquals(2, catalog.imports);
    assertTrue(assertThrows(Stage1Exception.class, () -> select(null,
        tmp.resolve("missing.aci").toString(), null, null, null)).getMessage()
        .endsWith("missing.aci does not exist"));
  }

  @Test
  void hashMustBeInTheStore() throws Exception {
    Stage1Image img = catalog.add(FLY, "1");
    assertEquals(img.id(), select(null, null, img.id().value().substring(0, 20), null, null)
        .image().id());
    assertEquals("--stage1-hash=sha512-00: no such image in the store (fetch it first)",
        assertThrows(Stage1Exception.class, () -> select(null, null, "sha512-00", null, null))
            .getMessage());
  }

  @Test
  void fromDirAndFileUrls() throws Exception {
    aci(bin.resolve("stage1-kvm.aci"), "coreos.com/rkt/stage1-kvm", "1");
    assertEquals(Stage1Flavor.KVM, select(null, null, null, "stage1-kvm.aci", null).flavor());
    Path f = aci(tmp.resolve("u.aci"), FLY, "1");
    assertEquals(FLY, select(null, null, null, null, f.toUri().toString()).image().name());
    assertEquals("--stage1-url=https://example.com/s.aci: only file:// URLs are supported for "
        + "now; use --stage1-path, or fetch the image and use --stage1-hash",
        assertThrows(Stage1Exception.class, () -> select(null, null, null, null,
            "https://example.com/s.aci")).getMessage());
  }

  @Test
  void flagsExcludeEachOther() {
    assertEquals("--stage1-name and --stage1-path exclude each other; give one",
        assertThrows(ArgsException.class, () -> Stage1Request.fromFlags(FLY, "/x", null, null,
            null)).getMessage());
    assertThrows(ArgsException.class, () -> Stage1Request.fromFlags(null, null, null,
        "../stage1.aci", null));
    assertThrows(ArgsException.class, () -> Stage1Request.fromFlags(null, null, "md5-1", null,
        null));
  }

  @Test
  void defaultIsCoreosElseFly() throws Exception {
    aci(bin.resolve("stage1-fly.aci"), FLY, "0.1.0");
    Stage1Choice c = select(null, null, null, null, null);
    assertEquals(FLY, c.image().name());
    assertTrue(notes.get(0).contains("falling back to coreos.com/rkt/stage1-fly"), notes.get(0));
    aci(bin.resolve("stage1-coreos.aci"), COREOS, "0.1.0");
    assertEquals(COREOS, select(null, null, null, null, null).image().name());
  }

  @Test
  void defaultCoreosFromTheStoreNeedsTheReleaseVersion() throws Exception {
    aci(bin.resolve("stage1-fly.aci"), FLY, "0.1.0");
    catalog.add(COREOS, "1.29.0");
    assertEquals(FLY, select(null, null, null, null, null).image().name());
    catalog.add(COREOS, "1.30.0");
    assertEquals(COREOS, select(null, null, null, null, null).image().name());
  }

  @Test
  void configuredDefaultNameThenLocation() throws Exception {
    Path loc = aci(tmp.resolve("loc.aci"), "example.com/s1", "2");
    Stage1Config cfg = new Stage1Config(Optional.of("example.com/s1"), Optional.of("2"),
        Optional.of(loc.toString()));
    Stage1Choice fromLocation = selector(cfg).select(new Stage1Request.Default());
    assertTrue(fromLocation.reason().contains("location " + loc), fromLocation.reason());
    Stage1Choice fromStore = selector(cfg).select(new Stage1Request.Default());
    assertTrue(fromStore.reason().contains("found in the store by name"), fromStore.reason());
    Stage1Config nameOnly = new Stage1Config(Optional.of("example.com/other"), Optional.empty(),
        Optional.empty());
    assertEquals("the configured default stage1 example.com/other is not in the store and no "
        + "location is configured", assertThrows(Stage1Exception.class,
            () -> selector(nameOnly).select(new Stage1Request.Default())).getMessage());
  }

  @Test
  void flyRunsOneAppOnly() throws Exception {
    Stage1Flavor.FLY.checkAppCount(1);
    Stage1Flavor.COREOS.checkAppCount(5);
    assertEquals("stage1-fly supports exactly one app per pod; got 2",
        assertThrows(Stage1Exception.class, () -> Stage1Flavor.FLY.checkAppCount(2))
            .getMessage());
  }
}
