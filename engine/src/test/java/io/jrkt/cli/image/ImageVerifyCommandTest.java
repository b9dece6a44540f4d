package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jrkt.store.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageVerifyCommandTest {
  @TempDir Path tmp;
  private Cli cli;
  private TestAci image;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("data"));
    image = TestAci.named("example.com/verify").version("3").file("etc/data.txt", "original\n");
    cli.fetch(image.write(tmp, "verify.aci"));
  }

  @Test
  void aGoodTreeIsOk() {
    Cli.Result r = cli.run("image", "verify", "example.com/verify").ok();

    assertEquals("\"" + image.imageId() + "\" (example.com/verify:3): tree ok\n", r.out());
    assertEquals("", r.err());
  }

  @Test
  void aCorruptedTreeIsReportedAndRenderedAgain() throws Exception {
    Path data = treeRootfs().resolve("etc/data.txt");
    Files.writeString(data, "tampered\n");

    Cli.Result r = cli.run("image", "verify", image.shortId());

    assertEquals(254, r.exit(), r.toString());
    assertEquals("\"" + image.imageId() + "\" (example.com/verify:3): tree was corrupt, rendered"
        + " again\n", r.out());
    assertEquals("image verify: 1 tree(s) were corrupt and have been rendered again\n", r.err());
    assertEquals("original\n", Files.readString(treeRootfs().resolve("etc/data.txt")));
    cli.run("image", "verify", image.shortId()).ok();
  }

  @Test
  void aMissingTreeIsRendered() throws Exception {
    cli.run("image", "gc").ok(); // no pod uses the tree

    Cli.Result r = cli.run("image", "verify", image.imageId()).ok();

    assertEquals("\"" + image.imageId() + "\" (example.com/verify:3): tree rendered\n", r.out());
    assertEquals("original\n", Files.readString(treeRootfs().resolve("etc/data.txt")));
  }

  @Test
  void unknownImagesFailWithoutStoppingTheOthers() {
    Cli.Result r = cli.run("image", "verify", "example.com/nope", image.imageId());

    assertEquals(254, r.exit(), r.toString());
    assertEquals(List.of("\"" + image.imageId() + "\" (example.com/verify:3): tree ok"),
        r.lines());
    assertEquals("image verify: no image \"example.com/nope\" in the store\n"
        + "image verify: 1 image(s) could not be verified\n", r.err());
    cli.run("image", "verify").failsWith("image verify: missing image argument");
  }

  private Path treeRootfs() throws Exception {
    try (ImageStore store = ImageStore.open(cli.dataDir)) {
      return store.tree(store.resolve(image.imageId()).id()).rootfs();
    }
  }
}
