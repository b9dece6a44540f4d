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
    assertEquals(new FetchSource.Remote("docker://busybox", "docker"),
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
  void refusesEmptyArgumentsAndFileUrlsOfOtherHosts() {
    assertThrows(CliException.class, () -> FetchSource.of(""));
    CliException e = assertThrows(CliException.class,
        () -> FetchSource.of("file://elsewhere/x.aci"));
    assertEquals("invalid URL \"file://elsewhere/x.aci\": a file URL cannot name host "
        + "\"elsewhere\"", e.getMessage());
  }
}
