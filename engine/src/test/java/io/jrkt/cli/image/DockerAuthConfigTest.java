package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.cli.CliException;
import io.jrkt.registry.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerAuthConfigTest {
  @TempDir Path tmp;

  private Path dir(String name, String file, String json) throws Exception {
    Path d = tmp.resolve(name);
    Files.createDirectories(d.resolve("auth.d"));
    Files.writeString(d.resolve("auth.d").resolve(file), json);
    return d;
  }

  private static String auth(String registry, String user) {
    return "{\"rktKind\":\"dockerAuth\",\"rktVersion\":\"v1\",\"registries\":[\"" + registry
        + "\"],\"credentials\":{\"user\":\"" + user + "\",\"password\":\"pw-" + user + "\"}}";
  }

  @Test
  void laterDirectoriesWinAndOtherKindsAreSkipped() throws Exception {
    Path system = dir("system", "a.json", auth("reg.example:5000", "sys"));
    Path local = dir("local", "b.json", auth("reg.example:5000", "admin"));
    Files.writeString(local.resolve("auth.d/c.json"), "{\"rktKind\":\"auth\","
        + "\"rktVersion\":\"v1\",\"domains\":[\"x\"],\"type\":\"basic\"}");
    Map<String, Credentials> m = DockerAuthConfig.load(Arrays.asList(system, local, null,
        tmp.resolve("missing")));
    assertEquals(new Credentials("admin", "pw-admin"), m.get("reg.example:5000"));
    assertEquals(1, m.size());
  }

  @Test
  void badFilesAreNamed() throws Exception {
    Path d = dir("bad", "x.json", "{\"rktKind\":\"dockerAuth\",\"rktVersion\":\"v2\"}");
    CliException e = assertThrows(CliException.class,
        () -> DockerAuthConfig.load(Arrays.asList(d)));
    assertTrue(e.getMessage().contains("x.json") && e.getMessage().contains("rktVersion"),
        e.getMessage());
    Path d2 = dir("bad2", "y.json", "{\"rktKind\":\"dockerAuth\",\"rktVersion\":\"v1\","
        + "\"registries\":[\"h\"],\"credentials\":{\"user\":\"u\"}}");
    e = assertThrows(CliException.class, () -> DockerAuthConfig.load(Arrays.asList(d2)));
    assertTrue(e.getMessage().contains("credentials.password"), e.getMessage());
    assertTrue(!new Credentials("u", "secret").toString().contains("secret"));
  }
}
