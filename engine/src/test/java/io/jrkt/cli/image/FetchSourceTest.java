package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.cli.CliException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchSourceTest {
  @TempDir Path tmp;

  @Test
  void guessesLikeRkt() throws Exception {
    assertEquals(new FetchSource.StoredId("sha512-abc"), FetchSource.of("sha512-abc"));
    assertEquals(new FetchSource.LocalFile("/x/y.aci", Path.of("/x/y.aci")),
        FetchSource.of("/x/y.aci"));
    assertEquals(new FetchSource.LocalFile("file:///x/../y.aci", Path.of("/y.aci")),
        FetchSource.of("file:///x/../y.aci"));
    assertEquals(new FetchSource.Remote("https://h/x.aci", "https"),
        FetchSource.of("https://h/x.aci"));
    assertEquals(new FetchSource.Registry("docker://busybox", "busybox"),
        FetchSource.of("docker://busybox"));
    assertEquals(new FetchSource.Name("example.com/app:v1.0"),
        FetchSource.of("example.com/app:v1.0"));
    assertEquals(new FetchSource.Name("registry.com:5000/app"),
        FetchSource.of("registry.com:5000/app"));
    assertEquals(new FetchSource.Name("example.com/app,os=linux"),
        FetchSource.of("example.com/app,os=linux"));
    // Relative paths: "./", "../" or the .aci extension.
    assertEquals(FetchSource.LocalFile.class, FetchSource.of("./app").getClass());
    assertEquals(FetchSource.LocalFile.class, FetchSource.of("../app").getClass());
    assertEquals(FetchSource.LocalFile.class, FetchSource.of("stage1.aci").getClass());
  }

  @Test
  void ociTransports() throws Exception {
    java.nio.file.Files.writeString(tmp.resolve("oci-layout"), "{}");
    java.nio.file.Files.writeString(tmp.resolve("a.tar"), "");
    assertEquals(new FetchSource.OciLayout("oci:" + tmp + ":v1", tmp, "v1"),
        FetchSource.of("oci:" + tmp + ":v1"));
    assertEquals(new FetchSource.OciLayout("oci:" + tmp, tmp, null),
        FetchSource.of("oci:" + tmp));
    assertEquals(new FetchSource.OciLayout(tmp.toString(), tmp, null),
        FetchSource.of(tmp.toString()));
    Path tar = tmp.resolve("a.tar");
    assertEquals(new FetchSource.OciArchive("oci-archive:" + tar, tar, null),
        FetchSource.of("oci-archive:" + tar));
    assertEquals(new FetchSource.DockerArchive("docker-archive:" + tar + ":ex.com/a:1", tar,
        "ex.com/a:1"), FetchSource.of("docker-archive:" + tar + ":ex.com/a:1"));
    assertThrows(CliException.class, () -> FetchSource.of("oci:"));
  }

  @Test
  void byteSizes() throws Exception {
    io.jrkt.cli.Flags f = new io.jrkt.cli.Flags();
    OciFetch.define(f);
    f.parse(java.util.List.of("--max-image-size=10MiB", "--disk-reserve=2G"), true);
    assertEquals(10L << 20, OciFetch.size(f, "max-image-size"));
    assertEquals(2L << 30, OciFetch.size(f, "disk-reserve"));
    io.jrkt.cli.Flags g = new io.jrkt.cli.Flags();
    OciFetch.define(g);
    g.parse(java.util.List.of("--max-image-size=lots"), true);
    assertThrows(CliException.class, () -> OciFetch.size(g, "max-image-size"));
  }

  @Test
  void refusesEmptyArgumentsAndFileUrlsOfOtherHosts() {
    assertThrows(CliException.class, () -> FetchSource.of(""));
    CliException e = assertThrows(CliException.class,
        () -> FetchSource.of("file://elsewhere/x.aci"));
    assertEquals("invalid URL \"file://elsewhere/x.aci\": a file URL cannot name host "
        + "\"elsewhere\"", e.getMessage());
  }
}
