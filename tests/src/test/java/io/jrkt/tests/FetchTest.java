package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code jrkt fetch} of local ACI files: the printed IDs and what lands in the store. */
class FetchTest extends FunctionalTest {

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"NONE", "GZIP", "BZIP2", "XZ"})
  void fetchPrintsTheShortIdOfTheUncompressedTar(Compression compression) {
    Aci aci = Aci.busybox("example.com/fetch-" + compression.name().toLowerCase())
        .compression(compression);
    Path file = aci.write(jrkt.work(), "fetch-" + compression + ".aci");

    Result r = jrkt.run(Jrkt.INSECURE, "fetch", file.toString()).ok();

    assertEquals(List.of(Ids.shortId(aci.imageId())), r.lines(), r.toString());
    assertTrue(Ids.SHORT_IMAGE_ID.matcher(r.lines().get(0)).matches(), r.toString());
  }

  @Test
  void fetchFullPrintsTheStoredSixtyFourHexForm() {
    Aci aci = Aci.busybox("example.com/fetch-full");
    Path file = aci.write(jrkt.work(), "fetch-full.aci");

    Result r = jrkt.run(Jrkt.INSECURE, "fetch", "--full", file.toString()).ok();

    assertEquals(List.of(aci.imageId()), r.lines(), r.toString());
    assertTrue(Ids.FULL_IMAGE_ID.matcher(r.lines().get(0)).matches(), r.toString());
  }

  @Test
  void fetchingTheSameImageTwiceStoresItOnce() {
    Aci aci = Aci.busybox("example.com/fetch-twice").version("2.5.0");
    Path file = aci.write(jrkt.work(), "fetch-twice.aci");

    String first = jrkt.fetch(file);
    String second = jrkt.fetch(file);

    assertEquals(first, second);
    List<String> rows = jrkt.run("image", "list", "--full", "--no-legend").ok().lines().stream()
        .filter(l -> l.startsWith(aci.imageId())).toList();
    assertEquals(1, rows.size(), "image list rows for " + aci.imageId() + ": " + rows);
    assertEquals("example.com/fetch-twice:2.5.0", Ids.cells(rows.get(0)).get(1), rows.get(0));
  }

  @Test
  void aFileRewrittenInPlaceWithItsOldSizeAndTimeIsImportedAgain() throws Exception {
    // Known files are found by a memo of their stamp rather than hashed again: the stamp must
    // tell a rewritten file even when its size and modification time are what they were.
    Aci v1 = Aci.busybox("example.com/fetch-rewrite").version("1.0.0")
        .compression(Compression.NONE);
    Aci v2 = Aci.busybox("example.com/fetch-rewrite").version("2.0.0")
        .compression(Compression.NONE);
    Path file = v1.write(jrkt.work(), "fetch-rewrite.aci");
    byte[] second = Files.readAllBytes(v2.write(jrkt.work(), "fetch-v2.aci"));
    assertEquals(Files.size(file), second.length, "the test needs equal sizes");
    assertEquals(Ids.shortId(v1.imageId()), jrkt.fetch(file));
    assertEquals(Ids.shortId(v1.imageId()), jrkt.fetch(file));

    FileTime mtime = Files.getLastModifiedTime(file);
    Files.write(file, second); // same inode
    Files.setLastModifiedTime(file, mtime);

    assertEquals(Ids.shortId(v2.imageId()), jrkt.fetch(file));
  }

  @Test
  void fetchOfSeveralImagesPrintsOneIdPerImageInOrder() {
    Aci a = Aci.busybox("example.com/fetch-many-a");
    Aci b = Aci.busybox("example.com/fetch-many-b");
    Path fa = a.write(jrkt.work(), "many-a.aci");
    Path fb = b.write(jrkt.work(), "many-b.aci");

    Result r = jrkt.run(Jrkt.INSECURE, "fetch", fa.toString(), fb.toString()).ok();

    assertEquals(List.of(Ids.shortId(a.imageId()), Ids.shortId(b.imageId())), r.lines(),
        r.toString());
  }

  @Test
  void fetchOfAMissingFileFails() {
    List<String> before = jrkt.snapshot();

    jrkt.run(Jrkt.INSECURE, "fetch", jrkt.work().resolve("no-such.aci").toString()).rejected();

    assertEquals(before, jrkt.snapshot());
  }
}
