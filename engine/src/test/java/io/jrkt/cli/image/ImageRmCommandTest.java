package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRmCommandTest {
  @TempDir Path tmp;
  private Cli cli;
  private TestAci v1;
  private TestAci v2;
  private TestAci other;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("data"));
    v1 = TestAci.named("example.com/app").version("1").file("v", "1");
    v2 = TestAci.named("example.com/app").version("2").file("v", "2");
    other = TestAci.named("example.com/other").file("o", "o");
    cli.fetch(v1.write(tmp, "v1.aci"));
    cli.fetch(v2.write(tmp, "v2.aci"));
    cli.fetch(other.write(tmp, "other.aci"));
  }

  @Test
  void removesByIdPrefixPrintingRktsLines() throws Exception {
    Cli.Result r = cli.run("image", "rm", other.shortId()).ok();

    assertEquals("successfully removed aci for image: \"" + other.imageId() + "\"\n", r.out());
    assertEquals("image rm: 1 image(s) successfully removed\n", r.err());
    assertEquals(List.of("example.com/app:1", "example.com/app:2"), names());
    assertFalse(anyFileNamed("blob", other.imageId()), "the blob is gone");
    assertFalse(anyFileNamed("imageManifest", other.imageId()), "the manifest is gone");
    assertEquals(0, treesOf(other.imageId()), "its rendered tree is gone");
    assertEquals(1, treesOf(v1.imageId()), "other trees stay");
  }

  @Test
  void aBareNameRemovesEveryImageOfThatNameAndDuplicatesCountOnce() {
    Cli.Result r = cli.run("image", "rm", "example.com/app", v1.imageId()).ok();

    assertEquals(List.of("successfully removed aci for image: \"" + v1.imageId() + "\"",
        "successfully removed aci for image: \"" + v2.imageId() + "\""), r.lines());
    assertEquals("image rm: 2 image(s) successfully removed\n", r.err());
    assertEquals(List.of("example.com/other"), names());
  }

  @Test
  void aVersionedNamePicksOneImage() {
    cli.run("image", "rm", "example.com/app:2").ok();

    assertEquals(List.of("example.com/app:1", "example.com/other"), names());
  }

  @Test
  void unknownImagesFailButTheOthersAreStillRemoved() {
    String missing = "sha512-" + "f".repeat(64);

    Cli.Result r = cli.run("image", "rm", missing, "example.com/other", "example.com/nope");

    assertEquals(254, r.exit(), r.toString());
    assertEquals("successfully removed aci for image: \"" + other.imageId() + "\"\n", r.out());
    assertEquals(List.of(
        "image rm: no image with id \"" + missing + "\" in the store",
        "image rm: no image \"example.com/nope\" in the store",
        "image rm: 1 image(s) successfully removed",
        "image rm: 2 image(s) cannot be removed"), List.of(r.err().split("\n")));
    assertEquals(List.of("example.com/app:1", "example.com/app:2"), names());
  }

  @Test
  void anAmbiguousPrefixRemovesNothing() {
    Cli.Result r = cli.run("image", "rm", "sha512-");

    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.err().startsWith("image rm: image id prefix \"sha512-\" is too short"),
        r.err());
    assertEquals(3, names().size());
    cli.run("image", "rm").failsWith("image rm: missing image argument");
  }

  private List<String> names() {
    return cli.run("image", "list", "--fields=name", "--sort=name", "--no-legend").ok().lines();
  }

  private boolean anyFileNamed(String casSubdir, String name) throws Exception {
    try (Stream<Path> s = Files.walk(cli.dataDir.resolve("cas").resolve(casSubdir))) {
      return s.anyMatch(p -> p.getFileName().toString().equals(name));
    }
  }

  /** Rendered trees ({@code cas/tree/<id>/image} names the image) of an image. */
  private long treesOf(String imageId) throws Exception {
    try (Stream<Path> s = Files.list(cli.dataDir.resolve("cas/tree"))) {
      return s.filter(t -> {
        try {
          return Files.readString(t.resolve("image")).trim().equals(imageId);
        } catch (java.io.IOException e) {
          return false;
        }
      }).count();
    }
  }
}
