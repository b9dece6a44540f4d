package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's side of {@code api-service}: finding lib/api and failing clearly without it. */
class ApiServiceCommandTest {
  @TempDir
  Path install;

  private String run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String before = System.getProperty("jrkt.bin");
    System.setProperty("jrkt.bin", install.resolve("bin").toString());
    try {
      int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      return code + " " + err.toString(StandardCharsets.UTF_8).trim();
    } finally {
      if (before == null) {
        System.clearProperty("jrkt.bin");
      } else {
        System.setProperty("jrkt.bin", before);
      }
    }
  }

  @Test
  void withoutLibApiItSaysTheServiceIsNotInstalled() throws Exception {
    Files.createDirectories(install.resolve("bin"));
    String r = run("--dir=" + install.resolve("data"), "api-service");
    assertTrue(r.startsWith("254 api-service: the api-service is not installed"), r);
    assertTrue(r.contains(install.resolve("lib").resolve("api").toString()), r);
    assertEquals(1, r.lines().count(), r);

    Files.createDirectories(install.resolve("lib").resolve("api"));
    r = run("api-service");
    assertTrue(r.startsWith("254 api-service: the api-service is not installed: no jars in"), r);
  }

  @Test
  void extraArgumentsAreRefused() {
    String r = run("api-service", "now");
    assertTrue(r.startsWith("254 api-service: unexpected arguments: now"), r);
  }
}
