package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageManifestTest {
  private static final String FULL = "image-manifest-full.json";

  private static ImageManifest parse(String json) throws AppcException {
    return ImageManifest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryField() throws Exception {
    ImageManifest m = ImageManifest.parse(TestFiles.bytes(FULL));
    assertEquals("0.8.11", m.acVersion());
    assertEquals(new AcIdentifier("example.com/reduce-worker"), m.name());
    assertEquals(Optional.of("1.0.0"), m.version());
    assertEquals("version=1.0.0,arch=amd64,os=linux", m.labels().toString());
    App app = m.app().orElseThrow();
    assertEquals(List.of("/usr/bin/reduce-worker", "--quiet"), app.exec());
    assertEquals("100", app.user());
    assertEquals("300", app.group());
    assertEquals(List.of(400, 500), app.supplementaryGids());
    assertEquals("/opt/work", app.workingDirectory());
    assertEquals(Optional.of(""), app.env("EMPTY"));
    assertEquals(List.of(new MountPoint(new AcName("work"), "/var/lib/work", true),
        new MountPoint(new AcName("cache"), "/var/cache", false)), app.mountPoints());
    assertEquals(List.of(new Port(new AcName("health"), "tcp", 4000, 1, true),
        new Port(new AcName("range"), "udp", 5000, 10, false)), app.ports());
    assertEquals(List.of("/usr/bin/deregister-worker", "--verbose"),
        app.eventHandler("post-stop").orElseThrow().exec());
    assertEquals(8, app.isolators().size());
    assertEquals(1_000_000_000L,
        app.isolator(Isolator.MEMORY).orElseThrow().limit().orElseThrow().ceilLong());
    assertEquals(Map.of("team", "data"), app.userLabels());
    assertEquals(Optional.of("Jane Doe <jane@example.com>"), m.annotations().get("authors"));
    Dependency base = m.dependencies().get(0);
    assertEquals("sha512-" + "a".repeat(64), base.imageId().value());
    assertEquals(Long.valueOf(12345), base.size());
    assertEquals(new Dependency(new AcIdentifier("example.com/tools")), m.dependencies().get(1));
    assertEquals(List.of("/usr/bin/reduce-worker", "/etc/passwd"), m.pathWhitelist());
  }

  @Test
  void writesBackExactlyTheGoShapedInput() throws Exception {
    String text = TestFiles.text(FULL);
    ImageManifest m = parse(text);
    assertEquals(text, m.toJson(true));
    assertEquals(m, parse(m.toJson(false)));
    assertEquals(m, parse(m.toJson(true)));
  }

  @Test
  void minimalManifestRoundTripsWithOmittedFields() throws Exception {
    String text = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a/b\"}";
    ImageManifest m = parse(text);
    assertEquals(Optional.empty(), m.app());
    assertTrue(m.labels().isEmpty());
    assertEquals(text, m.toJson(false));
  }

  @Test
  void appWithoutExecWritesNullExecAndReadsItBack() throws Exception {
    ImageManifest m = parse("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"a\",\"app\":{\"exec\":[],\"user\":\"0\",\"group\":\"0\","
        + "\"workingDirectory\":\"\",\"environment\":null}}");
    assertEquals("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\","
        + "\"app\":{\"exec\":null,\"user\":\"0\",\"group\":\"0\"}}", m.toJson(false));
    assertEquals(m, parse(m.toJson(false)));
  }

  @Test
  void builderMakesTheSameManifest() throws Exception {
    ImageManifest built = ImageManifest.builder(new AcIdentifier("example.com/hello"))
        .label("version", "0.0.1").label("arch", "amd64").label("os", "linux")
        .app(App.builder().exec("/hello").user("0").group("0").build())
        .annotation("authors", "me")
        .build();
    ImageManifest parsed = parse("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/hello\",\"labels\":[{\"name\":\"version\",\"value\":\"0.0.1\"},"
        + "{\"name\":\"arch\",\"value\":\"amd64\"},{\"name\":\"os\",\"value\":\"linux\"}],"
        + "\"app\":{\"exec\":[\"/hello\"],\"user\":\"0\",\"group\":\"0\"},"
        + "\"annotations\":[{\"name\":\"authors\",\"value\":\"me\"}]}");
    assertEquals(parsed, built);
    assertEquals(parsed.toJson(false), built.toJson(false));
    assertEquals(built, built.toBuilder().build());
    assertFalse(built.equals(built.toBuilder().label("version", "0.0.2").build()));
  }

  private static final String HEAD =
      "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/x\"";

  private static String withApp(String appFields) {
    return HEAD + ",\"app\":{\"exec\":[\"/x\"],\"user\":\"0\",\"group\":\"0\"" + appFields + "}}";
  }

  static Stream<Arguments> invalidManifests() {
    String id = "sha512-" + "b".repeat(64);
    return Stream.of(
        Arguments.of("[]", "image manifest: must be an object, got an array"),
        Arguments.of("{\"acKind\":", "image manifest: not valid JSON: unexpected end of JSON at"
            + " offset 10"),
        Arguments.of("{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\"}",
            "image manifest: acKind: \"PodManifest\" is wrong, must be \"ImageManifest\""),
        Arguments.of("{\"acVersion\":\"0.8.11\",\"name\":\"a\"}",
            "image manifest: acKind: missing, must be \"ImageManifest\""),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8\",\"name\":\"a\"}",
            "image manifest: acVersion: \"0.8\" is not a SemVer version (like 0.8.11)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"name\":\"a\"}",
            "image manifest: acVersion: must be set (a SemVer version like 0.8.11)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"Foo\"}",
            "image manifest: name: \"Foo\" is not a valid AC Identifier (lowercase letters and "
                + "digits, joined by single -._~/ characters)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\"}",
            "image manifest: name: must not be empty (an AC Identifier: lowercase letters and "
                + "digits, joined by single -._~/ characters)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":7}",
            "image manifest: name: must be a string, got the number 7"),
        Arguments.of(HEAD + ",\"labels\":{}}",
            "image manifest: labels: must be an array, got an object"),
        Arguments.of(HEAD + ",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
            + "{\"name\":\"OS\",\"value\":\"linux\"}]}",
            "image manifest: labels[1].name: \"OS\" is not a valid AC Identifier (lowercase "
                + "letters and digits, joined by single -._~/ characters)"),
        Arguments.of(HEAD + ",\"labels\":[{\"name\":\"version\",\"value\":\"1\"},"
            + "{\"name\":\"version\",\"value\":\"2\"}]}",
            "image manifest: labels: duplicate label \"version\""),
        Arguments.of(HEAD + ",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
            + "{\"name\":\"arch\",\"value\":\"x86\"}]}",
            "image manifest: labels: bad arch \"x86\" for linux (must be one of: amd64, i386, "
                + "aarch64, aarch64_be, armv6l, armv7l, armv7b, ppc64, ppc64le, s390x)"),
        Arguments.of(HEAD + ",\"labels\":[{\"name\":\"name\",\"value\":\"x\"}]}",
            "image manifest: labels: label name \"name\" is reserved"),
        Arguments.of(HEAD + ",\"app\":[]}", "image manifest: app: must be an object, got an array"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[\"etcd\"],\"user\":\"0\",\"group\":\"0\"}}",
            "image manifest: app.exec[0]: \"etcd\" must be an absolute path"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":\"/etcd\",\"user\":\"0\",\"group\":\"0\"}}",
            "image manifest: app.exec: must be an array, got the string \"/etcd\""),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[\"/x\",3],\"user\":\"0\",\"group\":\"0\"}}",
            "image manifest: app.exec[1]: must be a string, got the number 3"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[\"/x\"],\"group\":\"0\"}}",
            "image manifest: app.user: must be set"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[\"/x\"],\"user\":\"0\",\"group\":\"\"}}",
            "image manifest: app.group: must be set"),
        Arguments.of(withApp(",\"workingDirectory\":\"work\""),
            "image manifest: app.workingDirectory: \"work\" must be an absolute path"),
        Arguments.of(withApp(",\"supplementaryGIDs\":[1,-2]"),
            "image manifest: app.supplementaryGIDs[1]: must be from 0 to 2147483647, got -2"),
        Arguments.of(withApp(",\"supplementaryGIDs\":[null]"),
            "image manifest: app.supplementaryGIDs[0]: must be a whole number, got null"),
        Arguments.of(withApp(",\"environment\":[{\"name\":\"A\",\"value\":\"1\"},"
            + "{\"name\":\"A\",\"value\":\"2\"}]"),
            "image manifest: app.environment[1]: duplicate variable \"A\""),
        Arguments.of(withApp(",\"environment\":[{\"name\":\"0A\",\"value\":\"1\"}]"),
            "image manifest: app.environment[0]: environment variable name \"0A\" is not valid "
                + "(a letter or _, then letters, digits, _ . -)"),
        Arguments.of(withApp(",\"isolators\":[{\"name\":\"resource/cpu\",\"value\":{\"limit\":"
            + "\"1\"}},{\"name\":\"resource/memory\",\"value\":{\"limit\":\"12XB\"}}]"),
            "image manifest: app.isolators[1] (resource/memory): limit \"12XB\" is not a "
                + "quantity (e.g. 128M, 1Gi, 500m, 1)"),
        Arguments.of(withApp(",\"isolators\":[{\"name\":\"os/linux/oom-score-adj\","
            + "\"value\":2000}]"),
            "image manifest: app.isolators[0] (os/linux/oom-score-adj): value must be from "
                + "-1000 to 1000, got 2000"),
        Arguments.of(withApp(",\"isolators\":[{\"name\":\"os/linux/seccomp-retain-set\","
            + "\"value\":{\"set\":[\"chmod\"]}},{\"name\":\"os/linux/seccomp-remove-set\","
            + "\"value\":{\"set\":[\"mount\"]}}]"),
            "image manifest: app.isolators[1] (os/linux/seccomp-remove-set): cannot be combined"
                + " with os/linux/seccomp-retain-set (at [0])"),
        Arguments.of(withApp(",\"isolators\":[{\"name\":\"Bad\",\"value\":1}]"),
            "image manifest: app.isolators[0].name: \"Bad\" is not a valid AC Identifier "
                + "(lowercase letters and digits, joined by single -._~/ characters)"),
        Arguments.of(withApp(",\"mountPoints\":[{\"name\":\"my_data\",\"path\":\"/d\"}]"),
            "image manifest: app.mountPoints[0].name: \"my_data\" is not a valid AC Name "
                + "(lowercase letters and digits, joined by single dashes)"),
        Arguments.of(withApp(",\"mountPoints\":[{\"name\":\"data\"}]"),
            "image manifest: app.mountPoints[0].path: must be set"),
        Arguments.of(withApp(",\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\","
            + "\"port\":70000}]"),
            "image manifest: app.ports[0].port: must be from 1 to 65535, got 70000"),
        Arguments.of(withApp(",\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\","
            + "\"port\":65530,\"count\":10}]"),
            "image manifest: app.ports[0]: port http: range 65530+10 ends after 65535"),
        Arguments.of(withApp(",\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\","
            + "\"port\":80,\"socketActivated\":\"yes\"}]"),
            "image manifest: app.ports[0].socketActivated: must be true or false, got the "
                + "string \"yes\""),
        Arguments.of(withApp(",\"eventHandlers\":[{\"name\":\"pre-stop\",\"exec\":[\"/a\"]}]"),
            "image manifest: app.eventHandlers[0]: event handler \"pre-stop\" is not one of "
                + "\"pre-start\", \"post-stop\""),
        Arguments.of(withApp(",\"eventHandlers\":[{\"name\":\"pre-start\",\"exec\":[\"/a\"]},"
            + "{\"name\":\"pre-start\",\"exec\":[\"/b\"]}]"),
            "image manifest: app.eventHandlers[1]: only one pre-start handler is allowed"),
        Arguments.of(withApp(",\"userLabels\":{\"a\":1}"),
            "image manifest: app.userLabels.a: must be a string, got the number 1"),
        Arguments.of(HEAD + ",\"annotations\":[{\"name\":\"created\",\"value\":\"today\"}]}",
            "image manifest: annotations: annotation created: \"today\" is not an RFC 3339 date"),
        Arguments.of(HEAD + ",\"dependencies\":[{\"imageName\":\"a\",\"imageID\":\"sha512-xyz\"}]}",
            "image manifest: dependencies[0].imageID: \"sha512-xyz\" is not an image id: sha512-"
                + " must be followed by 64 or 128 hex digits"),
        Arguments.of(HEAD + ",\"dependencies\":[{\"imageID\":\"" + id + "\"}]}",
            "image manifest: dependencies[0].imageName: must not be empty (an AC Identifier: "
                + "lowercase letters and digits, joined by single -._~/ characters)"),
        Arguments.of(HEAD + ",\"dependencies\":[{\"imageName\":\"a\",\"size\":-1}]}",
            "image manifest: dependencies[0].size: must be from 0 to 9223372036854775807, got -1"),
        Arguments.of(HEAD + ",\"pathWhitelist\":[\"/a\",null]}",
            "image manifest: pathWhitelist[1]: must be a string, got null"));
  }

  @ParameterizedTest
  @MethodSource("invalidManifests")
  void rejectsInvalidManifestsSayingWhere(String json, String message) {
    AppcException e = assertThrows(AppcException.class, () -> parse(json));
    assertEquals(message, e.getMessage());
  }

  @Test
  void requiresALinuxPlatformToRun() throws Exception {
    String base = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a/b\"";
    parse(base + ",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
        + "{\"name\":\"arch\",\"value\":\"aarch64\"}]}").requireOsArch();
    assertEquals("image a/b: the manifest has no os label", assertThrows(AppcException.class,
        () -> parse(base + "}").requireOsArch()).getMessage());
    assertEquals("image a/b: the manifest has no arch label", assertThrows(AppcException.class,
        () -> parse(base + ",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"}]}")
            .requireOsArch()).getMessage());
    assertEquals("image a/b: os \"freebsd\" is not supported (only linux)",
        assertThrows(AppcException.class, () -> parse(base
            + ",\"labels\":[{\"name\":\"os\",\"value\":\"freebsd\"},"
            + "{\"name\":\"arch\",\"value\":\"amd64\"}]}").requireOsArch()).getMessage());
  }
}
