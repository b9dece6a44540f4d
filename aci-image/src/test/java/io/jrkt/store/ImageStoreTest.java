package io.jrkt.store;

import static io.jrkt.store.StoreTestSupport.entries;
import static io.jrkt.store.StoreTestSupport.listing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.aci.Compression;
import io.jrkt.aci.CorruptArchiveException;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.InvalidManifestException;
import io.jrkt.aci.TestAci;
import io.jrkt.aci.TreeHash;
import io.jrkt.aci.UnsafeEntryException;
import io.jrkt.appc.ImageId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@SuppressWarnings("try")
class ImageStoreTest {
  @TempDir Path tmp;
  private Path data;
  private Path cas;
  private ImageStore store;

  @BeforeEach
  void openStore() throws Exception {
    data = tmp.resolve("data");
    store = ImageStore.open(data);
    cas = data.resolve("cas");
  }

  private static String treeIdOf(String... keys) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-512").digest(
        String.join(",", keys).getBytes(StandardCharsets.UTF_8));
    return "deps-" + ImageId.ofSha512(d).value();
  }

  private Path aci(TestAci image, String fileName) throws Exception {
    return image.write(tmp.resolve(fileName), Compression.GZIP);
  }

  // ---------------------------------------------------------------------------------- import

  @ParameterizedTest
  @EnumSource(Compression.class)
  void importsEveryCompressionKeyedByTheHashOfTheUncompressedTar(Compression c) throws Exception {
    TestAci image = TestAci.image("example.com/hello").label("version", "1.0")
        .dir("rootfs/bin", 0755).file("rootfs/bin/hello", "#!/bin/sh\necho hi\n", 0755);
    byte[] tar = image.tar();
    Path file = image.write(tmp.resolve("hello.aci"), c);

    ImageInfo info = store.importAci(file);

    String id = TestAci.expectedId(tar);
    assertEquals(id, info.id().value());
    assertEquals("example.com/hello", info.name());
    assertEquals("example.com/hello:1.0", info.displayName());
    assertEquals(tar.length, info.size());
    assertEquals("#!/bin/sh\necho hi\n".length(), info.treeStoreSize());
    assertEquals(List.of(info), store.list());
    assertEquals(info, store.get(info.id()).orElseThrow());
    try (InputStream in = store.openBlob(info.id())) {
      assertArrayEquals(tar, in.readAllBytes());
    }
    assertArrayEquals(tar, Files.readAllBytes(cas.resolve("blob/sha512/" + id.substring(7, 9)
        + "/" + id)));
    assertEquals(image.manifestJson(), Files.readString(cas.resolve("imageManifest/sha512/"
        + id.substring(7, 9) + "/" + id)));
    assertEquals("example.com/hello", store.manifest(info.id()).name().value());

    TreeRef tree = store.tree(info.id());
    assertEquals(treeIdOf(id), tree.treeStoreId());
    assertEquals(cas.resolve("tree").resolve(tree.treeStoreId()), tree.dir());
    assertEquals("#!/bin/sh\necho hi\n", Files.readString(tree.rootfs().resolve("bin/hello")));
    assertEquals(List.of("hash", "image", "manifest", "rendered", "rootfs"), entries(tree.dir()));
    assertEquals(id, Files.readString(tree.dir().resolve("image")));
    assertEquals(Files.readString(tree.dir().resolve("hash")), TreeHash.compute(tree.dir()));
    assertEquals(List.of(), entries(cas.resolve("tmp")));
  }

  @Test
  void theImportTreeIsTheOneTreeQueriesReturn() throws Exception {
    ImageInfo info = store.importAci(aci(TestAci.image("example.com/a").file("rootfs/f", "f"),
        "a.aci"));
    List<String> trees = entries(cas.resolve("tree"));
    assertEquals(List.of(store.tree(info.id()).treeStoreId()), trees);
  }

  @Test
  void importingTheSameImageAgainReturnsTheStoredOne() throws Exception {
    Path file = aci(TestAci.image("example.com/a").file("rootfs/f", "f"), "a.aci");
    ImageInfo first = store.importAci(file);
    List<String> before = listing(cas);
    ImageInfo second = store.importAci(file);
    assertEquals(first, second);
    assertEquals(before, listing(cas));
  }

  @Test
  void reimportingFillsInATreeThatWentMissing() throws Exception {
    Path file = aci(TestAci.image("example.com/a").file("rootfs/f", "f"), "a.aci");
    ImageInfo info = store.importAci(file);
    TreeRef t = store.tree(info.id());
    io.jrkt.aci.FileTrees.deleteRecursively(t.dir());
    // Touched, so that the file is read again rather than known from its memo.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    store.importAci(file);
    assertTrue(Files.exists(t.dir().resolve("rendered")));
    assertEquals("f", Files.readString(t.rootfs().resolve("f")));
  }

  @Test
  void anUnchangedFileIsKnownByItsMemoWithoutBeingReadAgain() throws Exception {
    Path fileA = aci(TestAci.image("example.com/a").file("rootfs/f", "a"), "a.aci");
    Path fileB = aci(TestAci.image("example.com/b").file("rootfs/f", "b"), "b.aci");
    ImageInfo a = store.importAci(fileA);
    ImageInfo b = store.importAci(fileB);
    List<String> memos = entries(cas.resolve("imported"));
    assertEquals(2, memos.size());
    Path memoOfA = null;
    for (String m : memos) {
      if (Files.readString(cas.resolve("imported").resolve(m)).endsWith(" " + a.id() + "\n")) {
        memoOfA = cas.resolve("imported").resolve(m);
      }
    }
    assertTrue(memoOfA != null, "no memo names " + a.id() + ": " + memos);

    // Proof that the memo answers: one pointing a.aci at b's image is believed.
    String text = Files.readString(memoOfA);
    Files.writeString(memoOfA, text.replace(a.id().value(), b.id().value()));
    assertEquals(b.id(), store.importAci(fileA).id());

    // A torn memo is not believed: the file is read again.
    Files.writeString(memoOfA, text.substring(0, text.length() - 10));
    assertEquals(a.id(), store.importAci(fileA).id());
    assertEquals(text, Files.readString(memoOfA));
  }

  @Test
  void aFileRewrittenWithTheSameSizeAndModificationTimeIsImportedAgain() throws Exception {
    Path file = aci(TestAci.image("example.com/a").file("rootfs/f", "1"), "a.aci");
    ImageInfo first = store.importAci(file);
    FileTime mtime = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    Path other = aci(TestAci.image("example.com/a").file("rootfs/f", "2"), "other.aci");
    assertEquals(size, Files.size(other), "the test needs two images of one size");
    // Rewritten in place (same inode), its modification time set back: only the change time,
    // which cannot be set back, tells.
    Files.write(file, Files.readAllBytes(other));
    Files.setLastModifiedTime(file, mtime);

    ImageInfo second = store.importAci(file);

    assertNotEquals(first.id(), second.id());
    assertEquals("2", Files.readString(store.tree(second.id()).rootfs().resolve("f")));
  }

  @Test
  void aMemoOfARemovedImageIsIgnoredAndGcRemovesIt() throws Exception {
    Path file = aci(TestAci.image("example.com/a").file("rootfs/f", "f"), "a.aci");
    ImageInfo info = store.importAci(file);
    store.remove(info.id());
    assertEquals(1, entries(cas.resolve("imported")).size());

    assertEquals(info.id(), store.importAci(file).id());
    assertTrue(store.get(info.id()).isPresent());
    store.remove(info.id());
    ImageGcResult r = store.gc(Duration.ofDays(1), Set.of(), Duration.ofHours(1));

    assertEquals(List.of(), entries(cas.resolve("imported")));
    assertEquals(List.of(), r.removedLeftovers(), "memos are bookkeeping, not leftovers");
  }

  @Test
  void unsupportedOsOrArchIsRefusedAtImport() throws Exception {
    Path file = aci(TestAci.image("example.com/mac").label("os", "darwin")
        .label("arch", "x86_64"), "mac.aci");
    List<String> before = listing(cas);
    InvalidManifestException e = assertThrows(InvalidManifestException.class,
        () -> store.importAci(file));
    assertEquals("image " + file + ": os \"darwin\" is not supported (only linux)",
        e.getMessage());
    assertEquals(before, listing(cas));

    Path noArch = aci(TestAci.image("example.com/noarch").withoutLabel("arch"), "noarch.aci");
    e = assertThrows(InvalidManifestException.class, () -> store.importAci(noArch));
    assertEquals("image " + noArch + ": the manifest has no arch label", e.getMessage());
    assertEquals(before, listing(cas));
  }

  @Test
  void anInvalidManifestIsRefused() throws Exception {
    Path file = aci(TestAci.image("x").rawManifest("{\"acKind\":\"ImageManifest\""), "bad.aci");
    List<String> before = listing(cas);
    InvalidManifestException e = assertThrows(InvalidManifestException.class,
        () -> store.importAci(file));
    assertTrue(e.getMessage().startsWith("image " + file + ": invalid manifest: not valid JSON"),
        e.getMessage());
    assertEquals(before, listing(cas));
  }

  // ---------------------------------------------------------------------------------- hostile

  private void assertRefusedAndStoreUnchanged(Path file, Class<? extends ImageException> type,
      String message) throws Exception {
    List<String> before = listing(cas);
    ImageException e = assertThrows(ImageException.class, () -> store.importAci(file));
    assertTrue(type.isInstance(e), e.getClass() + ": " + e.getMessage());
    if (message.endsWith("...")) {
      String prefix = message.substring(0, message.length() - 3);
      assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    } else {
      assertEquals(message, e.getMessage());
    }
    assertEquals(before, listing(cas), "the store is unchanged");
    assertEquals(List.of(), entries(cas.resolve("tmp")), "no temporary leftovers");
  }

  @Test
  void hostileArchivesLeaveTheStoreUnchanged() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path f1 = aci(TestAci.image("example.com/e").file("rootfs/../../etc/x", "x"), "e1.aci");
    assertRefusedAndStoreUnchanged(f1, UnsafeEntryException.class,
        "image " + f1 + ": entry \"rootfs/../../etc/x\": path escapes the rootfs");

    Path f2 = aci(TestAci.image("example.com/e").symlink("rootfs/a", outside.toString())
        .file("rootfs/a/passwd", "x"), "e2.aci");
    assertRefusedAndStoreUnchanged(f2, UnsafeEntryException.class, "image " + f2
        + ": entry \"rootfs/a/passwd\": extraction would follow the symbolic link \"rootfs/a\"");
    assertEquals(List.of(), entries(outside));

    Path f3 = aci(TestAci.image("example.com/e").hardlink("rootfs/h", "/etc/shadow"), "e3.aci");
    assertRefusedAndStoreUnchanged(f3, UnsafeEntryException.class, "image " + f3
        + ": entry \"rootfs/h\": hard link target \"/etc/shadow\" is outside the rootfs");

    Path f4 = aci(TestAci.image("example.com/e").charDevice("rootfs/etc/mem"), "e4.aci");
    assertRefusedAndStoreUnchanged(f4, UnsafeEntryException.class,
        "image " + f4 + ": entry \"rootfs/etc/mem\": device node outside /dev");

    Path f5 = aci(TestAci.image("example.com/e").fifo("rootfs/fifo"), "e5.aci");
    assertRefusedAndStoreUnchanged(f5, UnsafeEntryException.class,
        "image " + f5 + ": entry \"rootfs/fifo\": fifos are not allowed in an image");

    Path f6 = aci(TestAci.image("example.com/e").file("rootfs/f", "x").noManifest(), "e6.aci");
    assertRefusedAndStoreUnchanged(f6, InvalidManifestException.class,
        "image " + f6 + ": the archive has no manifest");

    Path f7 = aci(TestAci.image("example.com/e").file("etc/x", "x"), "e7.aci");
    assertRefusedAndStoreUnchanged(f7, UnsafeEntryException.class, "image " + f7
        + ": entry \"etc/x\": unexpected entry (an ACI holds only manifest and rootfs/)");

    Path f8 = Files.writeString(tmp.resolve("e8.aci"), "this is not an archive at all\n".repeat(40));
    assertRefusedAndStoreUnchanged(f8, CorruptArchiveException.class,
        "image " + f8 + ": not a tar archive (...");

    byte[] gz = TestAci.compress(TestAci.image("example.com/e").file("rootfs/f",
        new String(new char[100_000]).replace('\0', 'x')).tar(), Compression.GZIP);
    Path f9 = Files.write(tmp.resolve("e9.aci"), Arrays.copyOf(gz, gz.length - 20));
    assertRefusedAndStoreUnchanged(f9, CorruptArchiveException.class,
        "image " + f9 + ": gzip data is corrupt or truncated (...");

    Path f10 = aci(TestAci.image("example.com/e").file("/abs", "x"), "e10.aci");
    assertRefusedAndStoreUnchanged(f10, UnsafeEntryException.class,
        "image " + f10 + ": entry \"/abs\": absolute path");
  }

  // ---------------------------------------------------------------------------------- resolve

  @Test
  void resolvesByIdPrefixFullIdAndFullDigest() throws Exception {
    TestAci image = TestAci.image("example.com/r").file("rootfs/f", "f");
    byte[] tar = image.tar();
    ImageInfo info = store.importAci(aci(image, "r.aci"));
    String id = info.id().value();
    assertEquals(info, store.resolve(id));
    assertEquals(info, store.resolve(id.substring(0, 9)));
    assertEquals(info, store.resolve(id.toUpperCase().replace("SHA512-", "sha512-")));
    byte[] d = MessageDigest.getInstance("SHA-512").digest(tar);
    StringBuilder full = new StringBuilder("sha512-");
    for (byte b : d) {
      full.append(String.format("%02x", b & 0xff));
    }
    assertEquals(info, store.resolve(full.toString()));
    char last = full.charAt(full.length() - 1);
    String wrongSecondHalf = full.substring(0, full.length() - 1) + (last == '0' ? '1' : '0');
    ImageNotFoundException e = assertThrows(ImageNotFoundException.class,
        () -> store.resolve(wrongSecondHalf));
    assertEquals("no image with id \"" + wrongSecondHalf + "\" in the store (an image shares its "
        + "first half but not the rest)", e.getMessage());

    e = assertThrows(ImageNotFoundException.class,
        () -> store.resolve("sha512-a"));
    assertEquals("image id prefix \"sha512-a\" is too short: give at least 2 hex digits after "
        + "sha512-", e.getMessage());
    String other = id.charAt(7) == '0' ? "sha512-11" : "sha512-00";
    e = assertThrows(ImageNotFoundException.class, () -> store.resolve(other));
    assertEquals("no image with id \"" + other + "\" in the store", e.getMessage());
  }

  @Test
  void anIdPrefixMatchingTwoImagesIsAmbiguous() throws Exception {
    Map<String, TestAci> byPrefix = new HashMap<>();
    TestAci[] pair = null;
    for (int i = 0; pair == null; i++) {
      TestAci img = TestAci.image("example.com/amb").file("rootfs/n", "n=" + i);
      String prefix = TestAci.expectedId(img.tar()).substring(0, 9);
      TestAci seen = byPrefix.putIfAbsent(prefix, img);
      if (seen != null) {
        pair = new TestAci[] {seen, img};
      }
    }
    ImageInfo a = store.importAci(aci(pair[0], "a.aci"));
    ImageInfo b = store.importAci(aci(pair[1], "b.aci"));
    String prefix = a.id().value().substring(0, 9);
    AmbiguousImageException e = assertThrows(AmbiguousImageException.class,
        () -> store.resolve(prefix));
    assertEquals(Set.of(a.id(), b.id()), Set.copyOf(e.candidates()));
    assertTrue(e.getMessage().startsWith("image id prefix \"" + prefix
        + "\" is ambiguous: it matches 2 images ("), e.getMessage());
    assertEquals(a, store.resolve(a.id().value().substring(0, 20)));
  }

  @Test
  void resolvesByNameVersionAndLabelsPickingTheNewestImport() throws Exception {
    ImageInfo v1 = store.importAci(aci(TestAci.image("example.com/app")
        .label("version", "1.0").file("rootfs/v", "1"), "v1.aci"));
    ImageInfo v2 = store.importAci(aci(TestAci.image("example.com/app")
        .label("version", "2.0").file("rootfs/v", "2"), "v2.aci"));
    ImageInfo arm = store.importAci(aci(TestAci.image("example.com/app")
        .label("version", "1.0").label("arch", "aarch64").file("rootfs/v", "arm"), "arm.aci"));
    assertEquals(arm, store.resolve("example.com/app"));
    assertEquals(v2, store.resolve("example.com/app:2.0"));
    assertEquals(arm, store.resolve("example.com/app:1.0"));
    assertEquals(v1, store.resolve("example.com/app:1.0,arch=amd64"));
    assertEquals(v1, store.resolve("example.com/app,version=1.0,arch=amd64"));
    assertEquals(v2, store.resolve("example.com/app,arch=amd64"));

    ImageNotFoundException e = assertThrows(ImageNotFoundException.class,
        () -> store.resolve("example.com/app:3.0"));
    assertEquals("no image \"example.com/app\" (version=3.0) in the store", e.getMessage());
    e = assertThrows(ImageNotFoundException.class, () -> store.resolve("example.com/other"));
    assertEquals("no image \"example.com/other\" in the store", e.getMessage());
    e = assertThrows(ImageNotFoundException.class, () -> store.resolve("Bad Name"));
    assertEquals("bad image reference \"Bad Name\": \"Bad Name\" is not a valid image name",
        e.getMessage());
  }

  // ---------------------------------------------------------------------------------- deps

  private ImageInfo importBase() throws Exception {
    return store.importAci(aci(TestAci.image("example.com/base").label("version", "1.0")
        .dir("rootfs/etc", 0755).file("rootfs/etc/os", "base").file("rootfs/etc/keep", "base-keep")
        .dir("rootfs/bin", 0755).file("rootfs/bin/sh", "sh", 0755).dir("rootfs/var", 0700)
        .file("rootfs/var/junk", "junk"), "base.aci"));
  }

  private ImageInfo importMid() throws Exception {
    return store.importAci(aci(TestAci.image("example.com/mid").label("version", "1.0")
        .dependency("example.com/base", Map.of("version", "1.0"), null)
        .dir("rootfs/etc", 0755).file("rootfs/etc/os", "mid").file("rootfs/mid", "m"),
        "mid.aci"));
  }

  private TestAci top() {
    return TestAci.image("example.com/top")
        .dependency("example.com/mid", Map.of("version", "1.0"), null)
        .whitelist("/etc/os", "/etc/keep", "/app", "/mid", "/bin/sh")
        .dir("rootfs/etc", 0755).file("rootfs/etc/os", "top").file("rootfs/app", "app")
        .file("rootfs/junk", "junk");
  }

  private void assertTopTree(ImageInfo base, ImageInfo mid, ImageInfo top) throws Exception {
    TreeRef t = store.tree(top.id());
    assertEquals(treeIdOf(top.id().value(), mid.id().value(), base.id().value()),
        t.treeStoreId());
    Path r = t.rootfs();
    assertEquals("top", Files.readString(r.resolve("etc/os")));
    assertEquals("base-keep", Files.readString(r.resolve("etc/keep")));
    assertEquals("sh", Files.readString(r.resolve("bin/sh")));
    assertEquals("m", Files.readString(r.resolve("mid")));
    assertEquals("app", Files.readString(r.resolve("app")));
    assertFalse(Files.exists(r.resolve("junk")), "not in the whitelist");
    assertFalse(Files.exists(r.resolve("var")), "not in the whitelist");
    assertEquals(top().manifestJson(), Files.readString(t.dir().resolve("manifest")));
    assertEquals(Files.readString(t.dir().resolve("hash")), TreeHash.compute(t.dir()));
    assertEquals("top".length() + "base-keep".length() + "sh".length() + 1 + "app".length(),
        store.get(top.id()).orElseThrow().treeStoreSize());
  }

  @Test
  void rendersDependenciesBaseFirstThenFiltersByTheWhitelist() throws Exception {
    ImageInfo base = importBase();
    ImageInfo mid = importMid();
    TreeRef midTree = store.tree(mid.id());
    assertEquals("mid", Files.readString(midTree.rootfs().resolve("etc/os")));
    assertEquals("junk", Files.readString(midTree.rootfs().resolve("var/junk")));

    ImageInfo top = store.importAci(aci(top(), "top.aci"));
    assertTopTree(base, mid, top);
    assertEquals(List.of(), entries(cas.resolve("tmp")));
  }

  @Test
  void rendersDependenciesAlsoWhenTheManifestComesLast() throws Exception {
    ImageInfo base = importBase();
    ImageInfo mid = importMid();
    ImageInfo top = store.importAci(aci(top().manifestLast(), "top.aci"));
    assertTopTree(base, mid, top);
  }

  @Test
  void ofTwoDependenciesTheLaterOneWins() throws Exception {
    ImageInfo a = store.importAci(aci(TestAci.image("example.com/a").file("rootfs/f", "a")
        .file("rootfs/only-a", "a"), "a.aci"));
    ImageInfo b = store.importAci(aci(TestAci.image("example.com/b").file("rootfs/f", "b"),
        "b.aci"));
    ImageInfo top = store.importAci(aci(TestAci.bare("example.com/top")
        .dependency("example.com/a", null, null)
        .dependency("example.com/b", null, b.id().value()), "top.aci"));
    TreeRef t = store.tree(top.id());
    assertEquals(treeIdOf(top.id().value(), b.id().value(), a.id().value()), t.treeStoreId());
    assertEquals("b", Files.readString(t.rootfs().resolve("f")));
    assertEquals("a", Files.readString(t.rootfs().resolve("only-a")));
  }

  @Test
  void aMissingDependencyIsAClearErrorAndStoresNothing() throws Exception {
    Path file = aci(top(), "top.aci");
    importBase();
    List<String> before = listing(cas);
    DependencyNotFoundException e = assertThrows(DependencyNotFoundException.class,
        () -> store.importAci(file));
    assertEquals("dependency \"example.com/mid\" (version=1.0) not found in the store; fetch it "
        + "first", e.getMessage());
    assertEquals(before, listing(cas));
    assertEquals(List.of(), entries(cas.resolve("tmp")));

    Path byId = aci(TestAci.bare("example.com/pinned").dependency("example.com/base", null,
        "sha512-" + "ab".repeat(32)), "pinned.aci");
    e = assertThrows(DependencyNotFoundException.class, () -> store.importAci(byId));
    assertEquals("dependency \"example.com/base\" (id sha512-" + "ab".repeat(32) + ") not found "
        + "in the store; fetch it first", e.getMessage());
  }

  // ---------------------------------------------------------------------------------- trees

  @Test
  void verifyTreeRepairsADamagedTreeAndRendersAMissingOne() throws Exception {
    ImageInfo info = store.importAci(aci(TestAci.image("example.com/v").dir("rootfs/d", 0755)
        .file("rootfs/d/f", "good\n"), "v.aci"));
    TreeRef t = store.tree(info.id());
    assertEquals(new TreeCheck(t.treeStoreId(), TreeCheck.Status.OK), store.verifyTree(info.id()));

    Files.writeString(t.rootfs().resolve("d/f"), "evil\n");
    assertEquals(TreeCheck.Status.REPAIRED, store.verifyTree(info.id()).status());
    assertEquals("good\n", Files.readString(t.rootfs().resolve("d/f")));
    assertEquals(TreeCheck.Status.OK, store.verifyTree(info.id()).status());

    Files.delete(t.dir().resolve("rendered"));
    assertEquals(TreeCheck.Status.RENDERED, store.verifyTree(info.id()).status());
    assertTrue(Files.exists(t.dir().resolve("rendered")));
    assertEquals(List.of(), entries(cas.resolve("tmp")));
  }

  @Test
  void treeRendersATreeWithoutItsRenderedFlagAgain() throws Exception {
    ImageInfo info = store.importAci(aci(TestAci.image("example.com/t").file("rootfs/f", "f"),
        "t.aci"));
    TreeRef t = store.tree(info.id());
    Files.delete(t.dir().resolve("rendered"));
    Files.delete(t.rootfs().resolve("f"));
    TreeRef again = store.tree(info.id());
    assertEquals(t, again);
    assertEquals("f", Files.readString(again.rootfs().resolve("f")));
  }

  // ---------------------------------------------------------------------------------- remove, gc

  @Test
  void removeDeletesBlobManifestInfoAndTrees() throws Exception {
    ImageInfo base = importBase();
    ImageInfo mid = importMid();
    List<String> withBase = listing(cas);
    String midTree = store.tree(mid.id()).treeStoreId();
    String baseTree = store.tree(base.id()).treeStoreId();

    store.remove(mid.id());
    assertEquals(List.of(base), store.list());
    assertFalse(Files.exists(cas.resolve("tree").resolve(midTree)));
    assertTrue(Files.exists(cas.resolve("tree").resolve(baseTree)));
    String hex = mid.id().hex();
    assertFalse(Files.exists(cas.resolve("blob/sha512/" + hex.substring(0, 2) + "/" + mid.id())));
    assertFalse(Files.exists(cas.resolve("imageManifest/sha512/" + hex.substring(0, 2) + "/"
        + mid.id())));
    assertFalse(Files.exists(cas.resolve("imageinfo/" + mid.id())));
    assertEquals(List.of(), entries(cas.resolve("tmp")));
    assertTrue(withBase.size() > listing(cas).size());

    ImageNotFoundException e = assertThrows(ImageNotFoundException.class,
        () -> store.remove(mid.id()));
    assertEquals("image " + mid.id() + " is not in the store", e.getMessage());
  }

  @Test
  void interruptedWorkIsInvisibleAndGcRemovesIt() throws Exception {
    ImageInfo kept = store.importAci(aci(TestAci.image("example.com/kept").file("rootfs/f", "f"),
        "kept.aci"));
    String keptTree = store.tree(kept.id()).treeStoreId();

    // A crash in the middle of an import: its workspace, a blob and a manifest without info.
    Path ws = Files.createDirectories(cas.resolve("tmp/import-123/tree/rootfs"));
    Files.writeString(ws.resolve("half"), "written");
    Files.setLastModifiedTime(cas.resolve("tmp/import-123"),
        FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    String orphanId = "sha512-" + "cd".repeat(32);
    Path orphanBlob = Files.createDirectories(cas.resolve("blob/sha512/cd")).resolve(orphanId);
    Files.writeString(orphanBlob, "half a blob");
    Path orphanManifest = Files.createDirectories(cas.resolve("imageManifest/sha512/cd"))
        .resolve(orphanId);
    Files.writeString(orphanManifest, "{}");
    // A tree renamed into place by an older tool but never completed.
    Path halfTree = Files.createDirectories(cas.resolve("tree/deps-sha512-" + "ef".repeat(32)
        + "/rootfs"));
    // Work in progress right now: a locked workspace, old as it may be.
    Path busy = Files.createDirectories(cas.resolve("tmp/import-busy"));
    // A workspace killed before it had its lock file, and a memo killed before its rename.
    Files.writeString(Files.createDirectories(cas.resolve("tmp/memo-1-2")).resolve("memo"), "m");
    // A loose file of an older jrkt: its owner may still be writing it.
    Files.writeString(cas.resolve("tmp/info-1-2.tmp"), "{");

    assertEquals(List.of(kept), store.list());
    assertTrue(store.get(new ImageId(orphanId)).isEmpty());

    ImageGcResult r;
    try (KeyLock lock = KeyLock.acquire(busy.resolve(".lock"))) {
      Files.setLastModifiedTime(busy, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
      r = store.gc(Duration.ofDays(1), Set.of(keptTree), Duration.ofHours(1));
    }
    assertEquals(List.of(), r.removedImages());
    assertEquals(List.of(halfTree.getParent().getFileName().toString()), r.removedTrees());
    assertEquals(Set.of("blob/sha512/cd/" + orphanId, "imageManifest/sha512/cd/" + orphanId,
        "tmp/import-123", "tmp/memo-1-2"), Set.copyOf(r.removedLeftovers()));
    assertEquals(List.of(), r.errors());
    assertFalse(Files.exists(halfTree.getParent()));
    assertFalse(Files.exists(orphanBlob));
    assertEquals(List.of("import-busy", "info-1-2.tmp"), entries(cas.resolve("tmp")));
    assertEquals(List.of(kept), store.list());
    assertTrue(Files.exists(cas.resolve("tree").resolve(keptTree).resolve("rendered")));

    // Once its owner is gone, the stale workspace goes too; the loose file once it is old.
    Files.setLastModifiedTime(cas.resolve("tmp/info-1-2.tmp"),
        FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    r = store.gc(Duration.ofDays(1), Set.of(keptTree), Duration.ofHours(1));
    assertEquals(Set.of("tmp/import-busy", "tmp/info-1-2.tmp"), Set.copyOf(r.removedLeftovers()));
  }

  @Test
  void gcRemovesUnreferencedTreesAndImagesUnusedBeyondTheGracePeriod() throws Exception {
    ImageInfo used = store.importAci(aci(TestAci.image("example.com/used").file("rootfs/f", "u"),
        "used.aci"));
    ImageInfo idle = store.importAci(aci(TestAci.image("example.com/idle").file("rootfs/f", "i"),
        "idle.aci"));
    ImageInfo fresh = store.importAci(aci(TestAci.image("example.com/fresh")
        .file("rootfs/f", "n"), "fresh.aci"));
    String usedTree = store.tree(used.id()).treeStoreId();
    String idleTree = store.tree(idle.id()).treeStoreId();
    String freshTree = store.tree(fresh.id()).treeStoreId();
    Thread.sleep(20);
    store.touch(fresh.id());
    assertTrue(store.get(fresh.id()).orElseThrow().lastUsed().isAfter(fresh.lastUsed()));

    Duration grace = Duration.between(fresh.lastUsed(), Instant.now()).minusMillis(10);
    ImageGcResult r = store.gc(grace, Set.of(usedTree), Duration.ofHours(1));

    assertEquals(List.of(idle.id()), r.removedImages());
    assertEquals(Set.of(idleTree, freshTree), Set.copyOf(r.removedTrees()));
    assertEquals(List.of(used.id(), fresh.id()),
        store.list().stream().map(ImageInfo::id).toList());
    assertEquals(List.of(usedTree), entries(cas.resolve("tree")));
    // A removed tree comes back on demand.
    assertEquals("n", Files.readString(store.tree(fresh.id()).rootfs().resolve("f")));
  }

  @Test
  void removeKeepsTheTreesPodsStillUse() throws Exception {
    ImageInfo img = store.importAci(aci(TestAci.image("example.com/inuse").file("rootfs/f", "u"),
        "inuse.aci"));
    String tree = store.tree(img.id()).treeStoreId();
    store.remove(img.id(), Set.of(tree));
    assertEquals(List.of(), store.list());
    assertTrue(Files.exists(cas.resolve("tree").resolve(tree).resolve("rendered")));
    // Once no pod names it, gc takes it.
    ImageGcResult r = store.gc(Duration.ofDays(1), Set.of(), Duration.ofHours(1));
    assertEquals(List.of(tree), r.removedTrees());
  }

  @Test
  void gcAsksALiveSetOfReferencesAgainUnderTheTreeLock() throws Exception {
    ImageInfo img = store.importAci(aci(TestAci.image("example.com/late").file("rootfs/f", "l"),
        "late.aci"));
    String tree = store.tree(img.id()).treeStoreId();
    // Unreferenced at first sight; referenced when asked again (a pod appeared meanwhile).
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    Set<String> live = new java.util.AbstractSet<>() {
      @Override
      public boolean contains(Object o) {
        return asked.incrementAndGet() > 1;
      }

      @Override
      public java.util.Iterator<String> iterator() {
        return java.util.Collections.emptyIterator();
      }

      @Override
      public int size() {
        return 0;
      }
    };
    ImageGcResult r = store.gc(Duration.ofDays(1), live, Duration.ofHours(1));
    assertEquals(List.of(), r.removedTrees());
    assertEquals(2, asked.get());
    assertTrue(Files.exists(cas.resolve("tree").resolve(tree).resolve("rendered")));
    assertEquals(tree, store.treeUnderLock(img.id()).treeStoreId());
  }

  // ---------------------------------------------------------------------------------- export

  @Test
  void exportWritesTheBlobAsIs() throws Exception {
    TestAci image = TestAci.image("example.com/x").file("rootfs/f", "f");
    ImageInfo info = store.importAci(aci(image, "x.aci"));
    Path out = tmp.resolve("out/x.aci");
    Files.createDirectories(out.getParent());
    store.exportAci(info.id(), out, false);
    assertArrayEquals(image.tar(), Files.readAllBytes(out));
    assertEquals(info.id(), store.importAci(out).id());

    StoreException e = assertThrows(StoreException.class,
        () -> store.exportAci(info.id(), out, false));
    assertEquals(out + " already exists (use --overwrite to replace it)", e.getMessage());
    Files.writeString(out, "old");
    store.exportAci(info.id(), out, true);
    assertArrayEquals(image.tar(), Files.readAllBytes(out));
    assertEquals(List.of("x.aci"), entries(out.getParent()));
  }

  @Test
  void extractGivesThisImageOnlyAndRenderToTheTreeWithDependencies() throws Exception {
    importBase();
    ImageInfo mid = importMid();

    Path ex = tmp.resolve("ex");
    store.extract(mid.id(), ex, false, false);
    assertEquals(List.of("manifest", "rootfs"), entries(ex));
    assertEquals("m", Files.readString(ex.resolve("rootfs/mid")));
    assertFalse(Files.exists(ex.resolve("rootfs/bin")), "dependencies are not extracted");

    Path rootOnly = tmp.resolve("ro");
    store.extract(mid.id(), rootOnly, true, false);
    assertEquals(List.of("etc", "mid"), entries(rootOnly));

    Path rendered = tmp.resolve("rendered");
    store.renderTo(mid.id(), rendered, false, false);
    assertEquals(List.of("manifest", "rootfs"), entries(rendered));
    assertEquals("mid", Files.readString(rendered.resolve("rootfs/etc/os")));
    assertEquals("sh", Files.readString(rendered.resolve("rootfs/bin/sh")));
    assertEquals(0700, ((Integer) Files.getAttribute(rendered.resolve("rootfs/var"),
        "unix:mode")) & 07777);
    assertEquals(TestAci.MTIME, Files.getLastModifiedTime(rendered.resolve("rootfs/bin/sh"))
        .toInstant());
    assertEquals(TreeHash.compute(store.tree(mid.id()).dir()).length(),
        TreeHash.compute(rendered).length());
    assertEquals(TreeHash.compute(store.tree(mid.id()).dir()), TreeHash.compute(rendered));

    StoreException e = assertThrows(StoreException.class,
        () -> store.renderTo(mid.id(), rendered, true, false));
    assertEquals(rendered + " already exists and is not empty (use --overwrite to replace it)",
        e.getMessage());
    store.renderTo(mid.id(), rendered, true, true);
    assertEquals(List.of("bin", "etc", "mid", "var"), entries(rendered));
    assertEquals(List.of("ex", "mid.aci", "base.aci", "data", "rendered", "ro").stream().sorted()
        .toList(), entries(tmp));
  }

  @Test
  void unknownImagesAreReportedAsNotFound() throws Exception {
    ImageId id = new ImageId("sha512-" + "12".repeat(32));
    assertTrue(store.get(id).isEmpty());
    assertEquals("image " + id + " is not in the store",
        assertThrows(ImageNotFoundException.class, () -> store.tree(id)).getMessage());
    assertThrows(ImageNotFoundException.class, () -> store.manifest(id));
    assertThrows(ImageNotFoundException.class, () -> store.openBlob(id));
    assertThrows(ImageNotFoundException.class,
        () -> store.exportAci(id, tmp.resolve("o.aci"), false));
    store.touch(id);
    assertFalse(Files.exists(cas.resolve("imageinfo").resolve(id.value())));
  }

  @Test
  void theInfoRecordIsReadableJson() throws Exception {
    ImageInfo info = store.importAci(aci(TestAci.image("example.com/j").label("version", "3"),
        "j.aci"));
    String json = Files.readString(cas.resolve("imageinfo").resolve(info.id().value()));
    assertTrue(json.contains("\"name\": \"example.com/j\""), json);
    assertTrue(json.contains("\"importTime\": \"" + info.importTime() + "\""), json);
    assertNotEquals(-1, json.indexOf("\"treeStoreSize\": 0"), json);
    assertEquals(info, store.get(info.id()).orElseThrow());
    assertTrue(Files.isRegularFile(cas.resolve("tree").resolve(store.tree(info.id())
        .treeStoreId()).resolve("rendered"), LinkOption.NOFOLLOW_LINKS));
  }
}
