package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cat-manifest, export, extract and render. */
class ImageContentCommandsTest {
  @TempDir Path tmp;
  private Cli cli;
  private TestAci base;
  private TestAci app;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("data"));
    base = TestAci.named("example.com/base").file("etc/base.txt", "base\n")
        .file("etc/shared.txt", "from base\n").symlink("etc/link", "base.txt");
    app = TestAci.named("example.com/app").version("1.0").dependsOn("example.com/base")
        .file("etc/app.txt", "app\n").file("etc/shared.txt", "from app\n");
    cli.fetch(base.write(tmp, "base.aci"));
    cli.fetch(app.write(tmp, "app.aci"));
  }

  @Test
  void catManifestPrintsTabIndentedJsonByDefaultAndCompactOnRequest() {
    String pretty = "{\n"
        + "\t\"acKind\": \"ImageManifest\",\n"
        + "\t\"acVersion\": \"0.8.11\",\n"
        + "\t\"name\": \"example.com/app\",\n"
        + "\t\"labels\": [\n"
        + "\t\t{\n\t\t\t\"name\": \"os\",\n\t\t\t\"value\": \"linux\"\n\t\t},\n"
        + "\t\t{\n\t\t\t\"name\": \"arch\",\n\t\t\t\"value\": \"amd64\"\n\t\t},\n"
        + "\t\t{\n\t\t\t\"name\": \"version\",\n\t\t\t\"value\": \"1.0\"\n\t\t}\n"
        + "\t],\n"
        + "\t\"dependencies\": [\n"
        + "\t\t{\n\t\t\t\"imageName\": \"example.com/base\"\n\t\t}\n"
        + "\t]\n"
        + "}\n";

    for (String ref : List.of("example.com/app", "example.com/app:1.0", app.imageId(),
        app.shortId(), app.imageId().substring(0, 19))) {
      assertEquals(pretty, cli.run("image", "cat-manifest", ref).ok().out(), ref);
    }
    assertEquals(pretty, cli.run("image", "cat-manifest", "--pretty-print", "example.com/app")
        .ok().out());
    assertEquals(app.manifestJson() + "\n",
        cli.run("image", "cat-manifest", "--pretty-print=false", app.imageId()).ok().out());
  }

  @Test
  void catManifestErrors() {
    cli.run("image", "cat-manifest", "example.com/nope")
        .failsWith("image cat-manifest: no image \"example.com/nope\" in the store");
    cli.run("image", "cat-manifest", "--pretty-print=maybe", "example.com/app")
        .failsWith("image cat-manifest: invalid argument \"maybe\" for --pretty-print");
    cli.run("image", "cat-manifest").failsWith("image cat-manifest: expected exactly one image");
  }

  @Test
  void exportReproducesTheImportedTarByteForByte() throws Exception {
    Path gz = tmp.resolve("in.aci.gz");
    TestAci gzipped = TestAci.named("example.com/gz").file("f", "gz\n");
    gzipped.writeGzip(tmp, gz.getFileName().toString());
    cli.fetch(gz);
    Path out = tmp.resolve("out/exported.aci");
    Files.createDirectories(out.getParent());

    assertEquals("", cli.run("image", "export", gzipped.shortId(), out.toString()).ok().out());

    assertArrayEquals(gzipped.tar(), Files.readAllBytes(out));
    assertEquals(gzipped.imageId(), "sha512-"
        + TestAci.sha512Hex(Files.readAllBytes(out)).substring(0, 64));
    cli.run("image", "export", gzipped.shortId(), out.toString())
        .failsWith("image export: " + out + " already exists");
    Files.writeString(out, "old");
    cli.run("image", "export", "--overwrite", "example.com/gz", out.toString()).ok();
    assertArrayEquals(gzipped.tar(), Files.readAllBytes(out));
  }

  @Test
  void extractWritesTheImageAloneAndRenderAddsItsDependencies() throws Exception {
    Path extracted = tmp.resolve("extracted");
    Path rendered = tmp.resolve("rendered");

    cli.run("image", "extract", "example.com/app", extracted.toString()).ok();
    cli.run("image", "render", "example.com/app", rendered.toString()).ok();

    assertEquals(app.manifestJson(), Files.readString(extracted.resolve("manifest")));
    assertEquals("app\n", Files.readString(extracted.resolve("rootfs/etc/app.txt")));
    assertEquals("from app\n", Files.readString(extracted.resolve("rootfs/etc/shared.txt")));
    assertFalse(Files.exists(extracted.resolve("rootfs/etc/base.txt")), "no dependency files");

    assertEquals(app.manifestJson(), Files.readString(rendered.resolve("manifest")));
    assertEquals("app\n", Files.readString(rendered.resolve("rootfs/etc/app.txt")));
    assertEquals("base\n", Files.readString(rendered.resolve("rootfs/etc/base.txt")));
    assertEquals("from app\n", Files.readString(rendered.resolve("rootfs/etc/shared.txt")),
        "the image's files override its dependency's");
    assertEquals(Path.of("base.txt"), Files.readSymbolicLink(rendered.resolve("rootfs/etc/link")));
  }

  @Test
  void rootfsOnlyWritesTheRootfsContentAsTheDirectory() throws Exception {
    Path extracted = tmp.resolve("x");
    Path rendered = tmp.resolve("r");

    cli.run("image", "extract", "--rootfs-only", base.imageId(), extracted.toString()).ok();
    cli.run("image", "render", "--rootfs-only", app.imageId(), rendered.toString()).ok();

    assertEquals("base\n", Files.readString(extracted.resolve("etc/base.txt")));
    assertFalse(Files.exists(extracted.resolve("manifest")));
    assertEquals("base\n", Files.readString(rendered.resolve("etc/base.txt")));
    assertEquals("app\n", Files.readString(rendered.resolve("etc/app.txt")));
    assertFalse(Files.exists(rendered.resolve("rootfs")));
  }

  @Test
  void anExistingDirectoryIsReplacedOnlyWithOverwrite() throws Exception {
    Path dir = tmp.resolve("out");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("keep.txt"), "mine");

    for (String cmd : List.of("extract", "render")) {
      cli.run("image", cmd, "example.com/base", dir.toString())
          .failsWith("image " + cmd + ": " + dir + " already exists and is not empty");
      assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    }

    cli.run("image", "render", "--overwrite", "example.com/base", dir.toString()).ok();
    assertFalse(Files.exists(dir.resolve("keep.txt")));
    assertEquals("base\n", Files.readString(dir.resolve("rootfs/etc/base.txt")));
    cli.run("image", "extract", "--overwrite", "example.com/base", "/")
        .failsWith("image extract: refusing to write the image to /");
    assertTrue(Files.isDirectory(Path.of("/etc")));
    cli.run("image", "extract", "example.com/base")
        .failsWith("image extract: expected an image and an output directory");
  }
}
