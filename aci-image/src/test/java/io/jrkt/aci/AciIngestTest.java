package io.jrkt.aci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AciIngestTest {
  @TempDir Path tmp;

  private record Ingested(AciIngest.Result result, Path tree, byte[] copy, TreeBuilder builder) {}

  private Ingested ingest(Path aci) throws Exception {
    Path tree = Files.createDirectory(tmp.resolve("tree"));
    Path copy = tmp.resolve("copy");
    TreeBuilder b = TreeBuilder.forTree(tree, aci.toString());
    AciIngest.Result r;
    try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      r = AciIngest.ingest(aci, aci.toString(), ch, b, m -> { });
    }
    b.writeManifest(r.manifest());
    b.finish();
    return new Ingested(r, tree, Files.readAllBytes(copy), b);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyCompressionGivesTheIdOfTheUncompressedTarAndACopyOfIt(Compression c) throws Exception {
    byte[] big = randomBytes(3 * 1024 * 1024 + 17, 1);
    TestAci aci = TestAci.image("example.com/codec").dir("rootfs/bin", 0755)
        .file("rootfs/bin/big", big, 0755, 0, 0).file("rootfs/etc", "x\n");
    byte[] tar = aci.tar();
    Path file = aci.write(tmp.resolve("img.aci"), c);

    Ingested in = ingest(file);

    assertEquals(c, in.result.compression());
    assertEquals(TestAci.expectedId(tar), ImageId.ofSha512(in.result.sha512()).value());
    assertEquals(tar.length, in.result.tarSize());
    assertArrayEquals(tar, in.copy);
    assertArrayEquals(big, Files.readAllBytes(in.tree.resolve("rootfs/bin/big")));
    assertEquals(aci.manifestJson(), new String(in.result.manifest(), StandardCharsets.UTF_8));
    assertEquals(aci.manifestJson(), Files.readString(in.tree.resolve("manifest")));
  }

  @Test
  void keepsModesOwnersTimesAndLinks() throws Exception {
    TestAci aci = TestAci.image("example.com/attrs")
        .dir("rootfs/tmp", 01777)
        .dir("rootfs/ro", 0555)
        .file("rootfs/ro/file", "ro\n", 0444)
        .file("rootfs/suid", "s".getBytes(StandardCharsets.UTF_8), 04755, 0, 0)
        .file("rootfs/sgid", "g".getBytes(StandardCharsets.UTF_8), 02711, 1234, 5678)
        .symlink("rootfs/link", "/etc/passwd")
        .hardlink("rootfs/hard", "rootfs/suid")
        .file("rootfs/" + "long-name-".repeat(20), "long\n");
    Ingested in = ingest(aci.write(tmp.resolve("a.aci"), Compression.GZIP));
    Path r = in.tree.resolve("rootfs");

    assertEquals(01777, mode(r.resolve("tmp")));
    assertEquals(0555, mode(r.resolve("ro")));
    assertEquals(0444, mode(r.resolve("ro/file")));
    assertEquals(04755, mode(r.resolve("suid")));
    assertEquals(02711, mode(r.resolve("sgid")));
    assertEquals(TestAci.MTIME, Files.getLastModifiedTime(r.resolve("ro")).toInstant());
    assertEquals(TestAci.MTIME, Files.getLastModifiedTime(r.resolve("suid")).toInstant());
    assertEquals(TestAci.MTIME, Files.getLastModifiedTime(r.resolve("link"),
        LinkOption.NOFOLLOW_LINKS).toInstant());
    assertEquals("/etc/passwd", Files.readSymbolicLink(r.resolve("link")).toString());
    assertEquals("long\n", Files.readString(r.resolve("long-name-".repeat(20))));
    assertEquals(Files.getAttribute(r.resolve("suid"), "unix:ino"),
        Files.getAttribute(r.resolve("hard"), "unix:ino"));
    if (TestAci.isRoot()) {
      assertEquals(1234, Files.getAttribute(r.resolve("sgid"), "unix:uid"));
      assertEquals(5678, Files.getAttribute(r.resolve("sgid"), "unix:gid"));
    }
  }

  @Test
  void treeHashFromExtractionMatchesTheDiskAndNoticesChanges() throws Exception {
    TestAci aci = TestAci.image("example.com/hash").dir("rootfs/d", 0750)
        .file("rootfs/d/f", "content\n", 0640).symlink("rootfs/l", "d/f")
        .hardlink("rootfs/h", "rootfs/d/f").file("rootfs/d/f2", "other\n");
    Ingested in = ingest(aci.write(tmp.resolve("h.aci"), Compression.NONE));
    String hash = in.builder.hash();
    assertTrue(hash.matches("sha512-[0-9a-f]{128}"), hash);
    assertEquals(hash, TreeHash.compute(in.tree));

    Files.writeString(in.tree.resolve("rootfs/d/f2"), "changed\n");
    String changed = TreeHash.compute(in.tree);
    assertNotEquals(hash, changed);
    Files.writeString(in.tree.resolve("rootfs/d/f2"), "other\n");
    assertEquals(hash, TreeHash.compute(in.tree));
    Files.setAttribute(in.tree.resolve("rootfs/d"), "unix:mode", 0755);
    assertNotEquals(hash, TreeHash.compute(in.tree));
  }

  @Test
  void devicesBelowDevAreSkipped() throws Exception {
    TestAci aci = TestAci.image("example.com/dev").dir("rootfs/dev", 0755)
        .charDevice("rootfs/dev/null").blockDevice("rootfs/dev/sda").file("rootfs/dev/keep", "k");
    Ingested in = ingest(aci.write(tmp.resolve("d.aci"), Compression.NONE));
    assertFalse(Files.exists(in.tree.resolve("rootfs/dev/null"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(in.tree.resolve("rootfs/dev/sda"), LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(in.tree.resolve("rootfs/dev/keep")));
    assertEquals(2, in.builder.skippedDevices());
  }

  @Test
  void manifestMayComeAfterTheRootfs() throws Exception {
    TestAci aci = TestAci.image("example.com/late").file("rootfs/f", "f").manifestLast();
    Ingested in = ingest(aci.write(tmp.resolve("l.aci"), Compression.GZIP));
    assertEquals(aci.manifestJson(), new String(in.result.manifest(), StandardCharsets.UTF_8));
    assertTrue(Files.exists(in.tree.resolve("rootfs/f")));
  }

  @Test
  void aLaterEntryReplacesAnEarlierOneWithoutWritingThroughIt() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside"), "precious\n");
    TestAci aci = TestAci.image("example.com/replace")
        .symlink("rootfs/a", outside.toString())
        .file("rootfs/a", "replaced\n")
        .dir("rootfs/d", 0755).file("rootfs/d/x", "x")
        .file("rootfs/d", "now a file\n");
    Ingested in = ingest(aci.write(tmp.resolve("r.aci"), Compression.NONE));
    assertEquals("precious\n", Files.readString(outside));
    assertTrue(Files.isRegularFile(in.tree.resolve("rootfs/a"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("replaced\n", Files.readString(in.tree.resolve("rootfs/a")));
    assertEquals("now a file\n", Files.readString(in.tree.resolve("rootfs/d")));
    assertFalse(in.builder.nodes().containsKey("rootfs/d/x"));
    assertEquals(in.builder.hash(), TreeHash.compute(in.tree));
  }

  @Test
  void whitelistKeepsListedPathsAndTheirDirectories() throws Exception {
    TestAci aci = TestAci.image("example.com/wl").dir("rootfs/etc", 0755)
        .file("rootfs/etc/keep", "k").file("rootfs/etc/drop", "d").dir("rootfs/var", 0755)
        .file("rootfs/var/x", "x").symlink("rootfs/bin", "usr/bin");
    Ingested in = ingest(aci.write(tmp.resolve("w.aci"), Compression.NONE));
    in.builder.applyWhitelist(List.of("/etc/keep", "/bin"));
    Path r = in.tree.resolve("rootfs");
    assertTrue(Files.exists(r.resolve("etc/keep")));
    assertTrue(Files.isSymbolicLink(r.resolve("bin")));
    assertFalse(Files.exists(r.resolve("etc/drop")));
    assertFalse(Files.exists(r.resolve("var")));
    assertEquals(in.builder.hash(), TreeHash.compute(in.tree));
  }

  // ------------------------------------------------------------------------ refused archives

  private ImageException refused(TestAci aci, Compression c) throws Exception {
    Path file = aci.write(tmp.resolve("evil.aci"), c);
    return refused(file);
  }

  private ImageException refused(Path file) throws Exception {
    Path outsideBefore = snapshotParent();
    ImageException e = assertThrows(ImageException.class, () -> ingest(file));
    assertEquals(outsideBefore, snapshotParent(), "nothing written next to the tree");
    return e;
  }

  /** The tree's parent must hold only what the test put there. */
  private Path snapshotParent() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return Path.of(String.join(",", s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("tree") && !n.equals("copy")).sorted().toList()));
    }
  }

  private void assertRefused(TestAci aci, Class<? extends ImageException> type, String entry,
      String reason) throws Exception {
    ImageException e = refused(aci, Compression.NONE);
    Path file = tmp.resolve("evil.aci");
    String expected = "image " + file + (entry == null ? "" : ": entry \"" + entry + "\"") + ": "
        + reason;
    assertEquals(expected, e.getMessage());
    assertTrue(type.isInstance(e), e.getClass() + " is not a " + type);
  }

  @Test
  void dotDotEscapingTheRootfsIsRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").file("rootfs/../../etc/x", "x"),
        UnsafeEntryException.class, "rootfs/../../etc/x", "path escapes the rootfs");
  }

  @Test
  void dotDotInsideTheRootfsIsRefusedToo() throws Exception {
    assertRefused(TestAci.image("example.com/e").file("rootfs/a/../b", "x"),
        UnsafeEntryException.class, "rootfs/a/../b", "path contains a \"..\" component");
  }

  @Test
  void absolutePathsAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").file("/etc/passwd", "x"),
        UnsafeEntryException.class, "/etc/passwd", "absolute path");
  }

  @Test
  void entriesOutsideManifestAndRootfsAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").file("etc/passwd", "x"),
        UnsafeEntryException.class, "etc/passwd",
        "unexpected entry (an ACI holds only manifest and rootfs/)");
  }

  @Test
  void writingThroughASymlinkIsRefused() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("etc"));
    assertRefused(TestAci.image("example.com/e").symlink("rootfs/a", outside.toString())
            .file("rootfs/a/passwd", "owned"),
        UnsafeEntryException.class, "rootfs/a/passwd",
        "extraction would follow the symbolic link \"rootfs/a\"");
    assertFalse(Files.exists(outside.resolve("passwd")));
  }

  @Test
  void creatingADirectoryThroughARelativeSymlinkIsRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").symlink("rootfs/up", "usr/..")
            .dir("rootfs/up/made", 0755),
        UnsafeEntryException.class, "rootfs/up/made/",
        "extraction would follow the symbolic link \"rootfs/up\"");
  }

  @Test
  void relativeSymlinksClimbingOutOfTheRootfsAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").symlink("rootfs/bin/up", "../../etc"),
        UnsafeEntryException.class, "rootfs/bin/up",
        "symbolic link target \"../../etc\" climbs out of the rootfs");
  }

  @Test
  void climbDetectionCountsTheLinksDepth() {
    assertFalse(TreeBuilder.climbsOutOfRootfs("rootfs/bin/sh", "busybox"));
    assertFalse(TreeBuilder.climbsOutOfRootfs("rootfs/usr/bin/sh", "../../bin/busybox"));
    assertFalse(TreeBuilder.climbsOutOfRootfs("rootfs/etc/localtime", "/usr/share/zoneinfo/UTC"));
    assertFalse(TreeBuilder.climbsOutOfRootfs("rootfs/a", "./b/../c"));
    assertTrue(TreeBuilder.climbsOutOfRootfs("rootfs/a", ".."));
    assertTrue(TreeBuilder.climbsOutOfRootfs("rootfs/usr/bin/sh", "../../../etc/passwd"));
    assertTrue(TreeBuilder.climbsOutOfRootfs("rootfs/a", "b/../../c"));
  }

  @Test
  void hardLinksOutsideTheRootfsAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").hardlink("rootfs/h", "/etc/passwd"),
        UnsafeEntryException.class, "rootfs/h",
        "hard link target \"/etc/passwd\" is outside the rootfs");
  }

  @Test
  void hardLinksEscapingWithDotDotAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").hardlink("rootfs/h", "rootfs/../../x"),
        UnsafeEntryException.class, "rootfs/h",
        "hard link target \"rootfs/../../x\" is outside the rootfs");
  }

  @Test
  void hardLinksToFilesNotYetExtractedAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").hardlink("rootfs/h", "rootfs/later")
            .file("rootfs/later", "x"),
        UnsafeEntryException.class, "rootfs/h",
        "hard link target \"rootfs/later\" was not extracted before it");
  }

  @Test
  void hardLinksToSymlinksAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").symlink("rootfs/s", "/etc/shadow")
            .hardlink("rootfs/h", "rootfs/s"),
        UnsafeEntryException.class, "rootfs/h",
        "hard link target \"rootfs/s\" is not a regular file");
  }

  @Test
  void devicesOutsideDevAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").charDevice("rootfs/etc/tty"),
        UnsafeEntryException.class, "rootfs/etc/tty", "device node outside /dev");
  }

  @Test
  void fifosAreRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").fifo("rootfs/dev/pipe"),
        UnsafeEntryException.class, "rootfs/dev/pipe", "fifos are not allowed in an image");
  }

  @Test
  void aRootfsThatIsNotADirectoryIsRefused() throws Exception {
    assertRefused(TestAci.bare("example.com/e").symlink("rootfs", "/"),
        UnsafeEntryException.class, "rootfs", "rootfs must be a directory");
  }

  @Test
  void aFileUsedAsADirectoryIsRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").file("rootfs/f", "x").file("rootfs/f/g", "y"),
        UnsafeEntryException.class, "rootfs/f/g", "parent \"rootfs/f\" is not a directory");
  }

  @Test
  void aMissingManifestIsRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").file("rootfs/f", "x").noManifest(),
        InvalidManifestException.class, null, "the archive has no manifest");
  }

  @Test
  void twoManifestsAreRefused() throws Exception {
    TestAci aci = TestAci.image("example.com/e");
    aci.entry("manifest", org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_NORMAL,
        0644, 0, 0, null, aci.manifestJson().getBytes(StandardCharsets.UTF_8));
    assertRefused(aci, InvalidManifestException.class, null,
        "the archive has more than one manifest");
  }

  @Test
  void aManifestDirectoryIsRefused() throws Exception {
    assertRefused(TestAci.image("example.com/e").dir("manifest", 0755).noManifest(),
        InvalidManifestException.class, null, "the manifest entry is not a regular file");
  }

  @Test
  void randomBytesAreNotATar() throws Exception {
    Path file = Files.write(tmp.resolve("evil.aci"), randomBytes(4096, 7));
    ImageException e = refused(file);
    assertTrue(e instanceof CorruptArchiveException, e.toString());
    assertTrue(e.getMessage().startsWith("image " + file + ": not a tar archive ("),
        e.getMessage());
  }

  @Test
  void anEmptyFileIsNotATar() throws Exception {
    Path file = Files.write(tmp.resolve("evil.aci"), new byte[0]);
    ImageException e = refused(file);
    assertEquals("image " + file + ": not a tar archive (no entries found)", e.getMessage());
  }

  @Test
  void aMissingFileIsReported() throws Exception {
    Path file = tmp.resolve("nope.aci");
    ImageException e = refused(file);
    assertEquals("image " + file + ": cannot read: no such file", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = {"GZIP", "BZIP2", "XZ", "ZSTD"})
  void truncatedCompressedDataIsRefused(Compression c) throws Exception {
    byte[] tar = TestAci.image("example.com/t").file("rootfs/big", randomBytes(200_000, 3), 0644,
        0, 0).tar();
    byte[] z = TestAci.compress(tar, c);
    Path file = Files.write(tmp.resolve("evil.aci"), Arrays.copyOf(z, z.length * 2 / 3));
    ImageException e = refused(file);
    assertTrue(e instanceof CorruptArchiveException, e.toString());
    assertTrue(e.getMessage().startsWith("image " + file + ": " + c.label()
        + " data is corrupt or truncated ("), e.getMessage());
  }

  @Test
  void corruptGzipDataIsRefused() throws Exception {
    byte[] tar = TestAci.image("example.com/t").file("rootfs/big", randomBytes(200_000, 3), 0644,
        0, 0).tar();
    byte[] z = TestAci.compress(tar, Compression.GZIP);
    for (int i = 100; i < 400; i++) {
      z[i] ^= 0x5a;
    }
    Path file = Files.write(tmp.resolve("evil.aci"), z);
    ImageException e = refused(file);
    assertTrue(e.getMessage().startsWith("image " + file + ": gzip data is corrupt or truncated"),
        e.getMessage());
  }

  @Test
  void aTruncatedTarIsRefused() throws Exception {
    byte[] tar = TestAci.image("example.com/t").file("rootfs/big", randomBytes(200_000, 3), 0644,
        0, 0).tar();
    Path file = Files.write(tmp.resolve("evil.aci"), Arrays.copyOf(tar, 100_000));
    ImageException e = refused(file);
    assertTrue(e instanceof CorruptArchiveException, e.toString());
    assertTrue(e.getMessage().startsWith("image " + file
        + ": entry \"rootfs/big\": truncated or corrupt data: "), e.getMessage());
  }

  @Test
  void validatingBuilderRefusesTheSameEntriesWithoutWriting() throws Exception {
    TestAci aci = TestAci.image("example.com/e").symlink("rootfs/a", "/etc")
        .file("rootfs/a/passwd", "owned");
    TreeBuilder b = TreeBuilder.validating("x");
    UnsafeEntryException e = assertThrows(UnsafeEntryException.class, () ->
        AciLayerReader.read(new java.io.ByteArrayInputStream(aci.tar()), "x", b, m -> { }));
    assertEquals("image x: entry \"rootfs/a/passwd\": extraction would follow the symbolic link "
        + "\"rootfs/a\"", e.getMessage());
  }

  private static int mode(Path p) throws IOException {
    return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
  }
}
