package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchCommandTest {
  private static final String INSECURE = "--insecure-options=image";

  @TempDir Path tmp;
  private Cli cli;
  private TestAci aci;
  private Path file;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("data"));
    aci = TestAci.named("example.com/hello").version("1.2.0").file("etc/hello.txt", "hi\n");
    file = aci.write(tmp, "hello.aci");
  }

  @Test
  void printsTheShortIdOfTheTar() {
    Cli.Result r = cli.run(INSECURE, "fetch", file.toString()).ok();

    String expected = "sha512-" + TestAci.sha512Hex(aci.tar()).substring(0, 32);
    assertEquals(expected + "\n", r.out());
    assertEquals(39, expected.length());
    assertEquals("", r.err());
  }

  @Test
  void fullPrintsTheStoredSixtyFourHexDigits() {
    Cli.Result r = cli.run(INSECURE, "fetch", "--full", file.toString()).ok();

    assertEquals("sha512-" + TestAci.sha512Hex(aci.tar()).substring(0, 64) + "\n", r.out());
  }

  @Test
  void theIdIsOverTheUncompressedTarAndImageFetchIsTheSameCommand() {
    Path gz = aci.writeGzip(tmp, "hello.aci.gz");

    Cli.Result r = cli.run(INSECURE, "image", "fetch", gz.toString()).ok();

    assertEquals(aci.shortId() + "\n", r.out());
  }

  @Test
  void acceptsFileUrlsAndPrintsOneIdPerImageInOrder() {
    TestAci other = TestAci.named("example.com/other").file("x", "x");
    Path otherFile = other.write(tmp, "other.aci");

    Cli.Result r = cli.run(INSECURE, "fetch", "file://" + otherFile, file.toString()).ok();

    assertEquals(List.of(other.shortId(), aci.shortId()), r.lines());
  }

  @Test
  void fetchingTwiceStoresOneImage() {
    cli.fetch(file);
    cli.fetch(file);

    List<String> rows = cli.run("image", "list", "--no-legend", "--full").ok().lines();
    assertEquals(1, rows.size(), rows.toString());
    assertTrue(rows.get(0).startsWith(aci.imageId() + "\t"), rows.get(0));
  }

  @Test
  void aFileIsRefusedWithoutInsecureImageBecauseSignaturesAreNotVerifiedYet() throws IOException {
    Cli.Result r = cli.run("fetch", file.toString());

    r.failsWith("fetch: cannot verify the signature of \"" + file + "\"");
    assertTrue(r.err().contains("--insecure-options=image"), r.err());
    assertEquals("", r.out());
    assertFalse(storeHolds(aci), "nothing is imported");
  }

  @Test
  void allArgumentsAreCheckedBeforeAnythingIsImported() throws IOException {
    Cli.Result r = cli.run(INSECURE, "fetch", file.toString(), "https://example.com/x.aci");

    r.failsWith("fetch: fetching https URLs (\"https://example.com/x.aci\") is not supported yet");
    assertFalse(storeHolds(aci));
  }

  @Test
  void namesAreFoundInTheStoreWithPullPolicyNewOrNever() {
    cli.fetch(file);

    for (String policy : List.of("new", "never")) {
      for (String ref : List.of("example.com/hello", "example.com/hello:1.2.0",
          "example.com/hello,version=1.2.0")) {
        Cli.Result r = cli.run("fetch", "--pull-policy=" + policy, ref).ok();
        assertEquals(aci.shortId() + "\n", r.out(), policy + " " + ref);
      }
    }
    assertEquals(aci.shortId() + "\n", cli.run("fetch", "--store-only", "example.com/hello")
        .ok().out());
  }

  @Test
  void namesNeedDiscoveryWithTheDefaultPolicyOrWhenNotStored() {
    cli.fetch(file);

    cli.run("fetch", "example.com/hello").failsWith(
        "fetch: discovery of \"example.com/hello\" is not supported yet; fetch a file");
    cli.run("fetch", "--pull-policy=new", "example.com/x").failsWith(
        "fetch: discovery of \"example.com/x\" is not supported yet; fetch a file");
    cli.run("fetch", "--pull-policy=never", "example.com/x")
        .failsWith("fetch: no image \"example.com/x\" in the store (pull policy \"never\")");
  }

  @Test
  void idsAreLookedUpInTheStore() {
    cli.fetch(file);

    assertEquals(aci.shortId() + "\n", cli.run("fetch", aci.shortId()).ok().out());
    assertEquals(aci.imageId() + "\n",
        cli.run("fetch", "--full", aci.imageId().substring(0, 12)).ok().out());
    String missing = "sha512-" + "0".repeat(64);
    cli.run("fetch", missing).failsWith("fetch: no image with id \"" + missing + "\"");
  }

  @Test
  void badArchivesAndFlagsGiveOneLineErrors() throws IOException {
    Path text = TestAci.writeBytes(tmp.resolve("text.aci"), "not an image\n".getBytes());
    Path evil = TestAci.named("example.com/evil").rawEntry("rootfs/../../escape", "x")
        .write(tmp, "evil.aci");
    Path noArch = TestAci.named("example.com/noarch").label("arch", "pdp11")
        .write(tmp, "noarch.aci");

    cli.run(INSECURE, "fetch", text.toString()).failsWith("fetch: image " + text);
    cli.run(INSECURE, "fetch", evil.toString()).failsWith("fetch: image " + evil);
    cli.run(INSECURE, "fetch", noArch.toString()).failsWith("fetch: image " + noArch);
    cli.run(INSECURE, "fetch", tmp.resolve("missing.aci").toString()).failsWith("fetch: ");
    cli.run("fetch", "--pull-policy=sometimes", "x").failsWith(
        "fetch: invalid --pull-policy \"sometimes\": must be one of never, new, update");
    cli.run("fetch").failsWith("fetch: missing image argument");
    assertFalse(Files.exists(tmp.resolve("escape")));
    assertTrue(cli.run("image", "list", "--no-legend").ok().out().isEmpty());
  }

  private boolean storeHolds(TestAci image) throws IOException {
    Path blobs = cli.dataDir.resolve("cas/blob");
    if (!Files.exists(blobs)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(blobs)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(image.imageId()));
    }
  }
}
