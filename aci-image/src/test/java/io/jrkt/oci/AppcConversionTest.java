package io.jrkt.oci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.ImageManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppcConversionTest {
  private static final UserDatabase USERS = UserDatabase.of(
      "root:x:0:0::/:/bin/sh\nwww:x:33:34::/var/www:/bin/false\n".getBytes(StandardCharsets.UTF_8),
      "root:x:0:\nstaff:x:50:\nwww-data:x:34:\n".getBytes(StandardCharsets.UTF_8));

  @Test
  void usersAndGroupsResolveInTheImage() {
    assertArrayEquals(new String[] {"0", "0"}, AppcConversion.userGroup("", USERS));
    assertArrayEquals(new String[] {"0", "0"}, AppcConversion.userGroup(null, USERS));
    assertArrayEquals(new String[] {"33", "34"}, AppcConversion.userGroup("www", USERS));
    assertArrayEquals(new String[] {"33", "50"}, AppcConversion.userGroup("www:staff", USERS));
    assertArrayEquals(new String[] {"33", "7"}, AppcConversion.userGroup("www:7", USERS));
    assertArrayEquals(new String[] {"33", "34"}, AppcConversion.userGroup("33", USERS));
    assertArrayEquals(new String[] {"1234", "0"}, AppcConversion.userGroup("1234", USERS));
    // Unknown names stay names: stage0 reports them when the app starts.
    assertArrayEquals(new String[] {"nobody", "nobody"},
        AppcConversion.userGroup("nobody", USERS));
  }

  @Test
  void portsAndVolumes() throws Exception {
    assertEquals(List.of(Map.of("name", "53-udp", "protocol", "udp", "port", 53L, "count", 1L,
        "socketActivated", false)), AppcConversion.ports(List.of("53/udp")));
    assertThrows(OciFormatException.class, () -> AppcConversion.ports(List.of("80/sctp")));
    List<Object> mps = AppcConversion.mountPoints(List.of("/data", "/data/", "/var/lib/x"));
    assertEquals("volume-data", ((Map<?, ?>) mps.get(0)).get("name"));
    assertEquals("volume-data-2", ((Map<?, ?>) mps.get(1)).get("name"));
    assertEquals("volume-var-lib-x", ((Map<?, ?>) mps.get(2)).get("name"));
  }

  @Test
  void relativeCommandsAreFoundAlongPath() throws Exception {
    Set<String> files = Set.of("/usr/bin/app", "/bin/sh");
    assertEquals("/usr/bin/app", AppcConversion.lookPath("app", List.of(), files::contains));
    assertEquals("/bin/sh", AppcConversion.lookPath("sh", List.of("PATH=/opt:/bin"),
        files::contains));
    OciFormatException e = assertThrows(OciFormatException.class,
        () -> AppcConversion.lookPath("nope", List.of(), files::contains));
    assertTrue(e.getMessage().contains("not found along PATH"), e.getMessage());
  }

  @Test
  void makesAValidManifestWithDockerAnnotations() throws Exception {
    ImageConfig c = ImageConfig.parse(("{\"os\":\"linux\",\"architecture\":\"arm64\","
        + "\"config\":{\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"--x\"],\"Env\":[\"A=1\",\"B\"],"
        + "\"WorkingDir\":\"/w\",\"User\":\"www\",\"ExposedPorts\":{\"8080/tcp\":{}},"
        + "\"Volumes\":{\"/v\":{}},\"Labels\":{\"k\":\"v\"}}}").getBytes(StandardCharsets.UTF_8));
    Digest md = Digest.ofBytes(new byte[] {1});
    Digest cd = Digest.ofBytes(new byte[] {2});
    byte[] json = AppcConversion.manifest(c, new ImageNaming("reg.example:5000",
        "team/app", "1.2", "docker://reg.example:5000/team/app:1.2"), md, cd, USERS, p -> true);
    ImageManifest m = ImageManifest.parse(json);
    // appc names cannot hold a colon: the port is sanitised, the annotations keep the original.
    assertEquals("reg.example_5000/team/app", m.name().value());
    assertEquals("aarch64", m.labels().get("arch").orElseThrow());
    assertEquals("1.2", m.labels().get("version").orElseThrow());
    assertEquals(List.of("/bin/app", "--x"), m.app().orElseThrow().exec());
    assertEquals("33", m.app().orElseThrow().user());
    assertEquals("/w", m.app().orElseThrow().workingDirectory());
    assertEquals(1, m.app().orElseThrow().environment().size());
    assertEquals(Map.of("k", "v"), m.app().orElseThrow().userLabels());
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"appc.io/docker/manifesthash\""));
    assertTrue(text.contains(md.toString()));
    assertTrue(text.contains("[\\\"/bin/app\\\"]"), text);
    assertThrows(OciFormatException.class, () -> AppcConversion.checkPlatform(
        ImageConfig.parse("{\"os\":\"windows\",\"architecture\":\"amd64\"}"
            .getBytes(StandardCharsets.UTF_8))));
  }
}
