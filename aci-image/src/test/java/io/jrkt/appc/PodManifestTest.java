package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodManifestTest {
  private static final String ID1 =
      "sha512-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String ID2 =
      "sha512-fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

  private static PodManifest parse(String json) throws AppcException {
    return PodManifest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static PodManifest goldenPod() {
    AcName data = new AcName("data");
    Map<String, String> userLabels = new LinkedHashMap<>();
    userLabels.put("tier", "backend");
    userLabels.put("app", "etcd");
    App etcdApp = App.builder()
        .exec("/usr/local/bin/etcd", "--data-dir=/var/lib/etcd")
        .user("0").group("0")
        .supplementaryGids(List.of(10, 20))
        .workingDirectory("/var/lib/etcd")
        .setEnv("ETCD_NAME", "node-1")
        .setIsolator(Isolator.resource(Isolator.MEMORY, "128M", "1Gi"))
        .setIsolator(Isolator.set(Isolator.CAPABILITIES_RETAIN,
            List.of("CAP_NET_BIND_SERVICE"), null))
        .addMountPoint(new MountPoint(data, "/var/lib/etcd", false))
        .addPort(new Port(new AcName("client"), "tcp", 2379))
        .addEventHandler(new EventHandler("pre-start", List.of("/bin/prepare", "--quiet")))
        .userLabels(userLabels)
        .build();
    RuntimeApp etcd = new RuntimeApp(new AcName("etcd"),
        new RuntimeImage(new AcIdentifier("coreos.com/etcd"), new ImageId(ID1),
            Labels.empty().with("version", "v3.3.0").with("os", "linux").with("arch", "amd64")),
        etcdApp, false, List.of(new Mount(data, "/var/lib/etcd")), Annotations.empty());
    AcName scratch = new AcName("scratch");
    RuntimeApp sidecar = new RuntimeApp(new AcName("sidecar"),
        new RuntimeImage(null, new ImageId(ID2), null), null, true,
        List.of(new Mount(scratch, "/tmp/scratch", Volume.empty(scratch, null))),
        Annotations.empty().with("coreos.com/rkt/stage2/stdout", "log"));
    return PodManifest.builder()
        .acVersion("1.30.0")
        .addApp(etcd)
        .addApp(sidecar)
        .addVolume(Volume.host(data, "/srv/etcd", false, true))
        .addAnnotation("coreos.com/rkt/stage1/mutable", "false")
        .addPort(new ExposedPort(new AcName("client"), 2379, "127.0.0.1"))
        .userLabels(Map.of("zone", "eu-1"))
        .build();
  }

  @Test
  void builtPodSerialisesToTheGoldenFile() {
    assertEquals(TestFiles.text("pod-manifest.golden.json"), goldenPod().toJson(true));
  }

  @Test
  void goldenFileParsesToTheBuiltPod() throws Exception {
    PodManifest parsed = PodManifest.parse(TestFiles.bytes("pod-manifest.golden.json"));
    assertEquals(goldenPod(), parsed);
    assertEquals(parsed, parse(parsed.toJson(false)));
    assertEquals(Optional.of(true),
        parsed.app(new AcName("sidecar")).map(RuntimeApp::readOnlyRootFS));
    assertEquals(Optional.empty(), parsed.app(new AcName("nope")));
    assertEquals("/srv/etcd", parsed.volume(new AcName("data")).orElseThrow().source());
  }

  @Test
  void emptyPodWritesNullListsAsRktDoes() throws Exception {
    PodManifest empty = PodManifest.builder().acVersion("1.30.0").build();
    String json = "{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\",\"apps\":null,"
        + "\"volumes\":null,\"isolators\":null,\"annotations\":null,\"ports\":null}";
    assertEquals(json, empty.toJson(false));
    assertEquals(empty, parse(json));
    assertEquals(empty, parse("{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\","
        + "\"apps\":[],\"volumes\":[]}"));
  }

  @Test
  void toBuilderReplacesAppsAndAnnotations() {
    PodManifest pod = goldenPod();
    RuntimeApp sidecar = pod.apps().get(1);
    PodManifest changed = pod.toBuilder()
        .setApp(sidecar.withAnnotations(Annotations.empty()))
        .addAnnotation("coreos.com/rkt/stage1/mutable", "true")
        .build();
    assertEquals(2, changed.apps().size());
    assertEquals(Annotations.empty(), changed.apps().get(1).annotations());
    assertEquals(Optional.of("true"), changed.annotations().get("coreos.com/rkt/stage1/mutable"));
    assertEquals(1, changed.annotations().size());
    assertEquals(pod, pod.toBuilder().build());
    assertEquals(List.of("etcd"), pod.toBuilder().removeApp(new AcName("sidecar")).build()
        .apps().stream().map(a -> a.name().value()).toList());
  }

  @Test
  void builderRejectsDuplicateAppsAndUndeclaredVolumes() {
    PodManifest pod = goldenPod();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> pod.toBuilder().addApp(pod.apps().get(0)).build());
    assertEquals("apps[2].name: \"etcd\" is already the name of apps[0]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> pod.toBuilder().volumes(List.of()).build());
    assertEquals("apps[0].mounts[0]: volume \"data\" is neither in volumes nor given as "
        + "appVolume", e.getMessage());
  }

  private static final String HEAD = "{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\"";

  private static String app(String name, String extra) {
    return "{\"name\":\"" + name + "\",\"image\":{\"id\":\"" + ID1 + "\"}" + extra + "}";
  }

  static Stream<Arguments> invalidPods() {
    return Stream.of(
        Arguments.of("{\"acVersion\":\"1.30.0\",\"acKind\":\"ImageManifest\"}",
            "pod manifest: acKind: \"ImageManifest\" is wrong, must be \"PodManifest\""),
        Arguments.of("{\"acKind\":\"PodManifest\",\"acVersion\":\"one\"}",
            "pod manifest: acVersion: \"one\" is not a SemVer version (like 0.8.11)"),
        Arguments.of("{\"acKind\":\"PodManifest\" \"acVersion\":\"1.0.0\"}",
            "pod manifest: not valid JSON: expected ',' or '}' at offset 24"),
        Arguments.of(HEAD + ",\"apps\":[" + app("a", "") + "," + app("a", "") + "]}",
            "pod manifest: apps[1].name: \"a\" is already the name of apps[0]"),
        Arguments.of(HEAD + ",\"apps\":[{\"name\":\"a\"}]}",
            "pod manifest: apps[0].image: must be an object, got null"),
        Arguments.of(HEAD + ",\"apps\":[{\"name\":\"a\",\"image\":{\"name\":\"x\"}}]}",
            "pod manifest: apps[0].image.id: must be set"),
        Arguments.of(HEAD + ",\"apps\":[{\"name\":\"a\",\"image\":{\"id\":\"sha1-00\"}}]}",
            "pod manifest: apps[0].image.id: \"sha1-00\" is not an image id: it must start with"
                + " sha512- or sha256-"),
        Arguments.of(HEAD + ",\"apps\":[{\"name\":\"a\",\"image\":{\"name\":\"X\",\"id\":\""
            + ID1 + "\"}}]}",
            "pod manifest: apps[0].image.name: \"X\" is not a valid AC Identifier (lowercase "
                + "letters and digits, joined by single -._~/ characters)"),
        Arguments.of(HEAD + ",\"apps\":[" + app("a", ",\"app\":{\"exec\":[\"/a\"],\"user\":\"0\""
            + ",\"group\":\"0\",\"isolators\":[{\"name\":\"resource/memory\",\"value\":"
            + "{\"limit\":\"1 G\"}}]}") + "]}",
            "pod manifest: apps[0].app.isolators[0] (resource/memory): limit \"1 G\" is not a"
                + " quantity (e.g. 128M, 1Gi, 500m, 1)"),
        Arguments.of(HEAD + ",\"apps\":[" + app("a", ",\"mounts\":[{\"volume\":\"v\","
            + "\"path\":\"/v\"}]") + "]}",
            "pod manifest: apps[0].mounts[0]: volume \"v\" is neither in volumes nor given as "
                + "appVolume"),
        Arguments.of(HEAD + ",\"apps\":[" + app("a", ",\"mounts\":[{\"volume\":\"v\"}]") + "]}",
            "pod manifest: apps[0].mounts[0].path: must be set"),
        Arguments.of(HEAD + ",\"apps\":[" + app("a", ",\"mounts\":[{\"volume\":\"v\","
            + "\"path\":\"/v\",\"appVolume\":{\"name\":\"w\",\"kind\":\"empty\"}}]") + "]}",
            "pod manifest: apps[0].mounts[0]: mount of volume v: appVolume is named w, not v"),
        Arguments.of(HEAD + ",\"apps\":[" + app("a", ",\"mounts\":[{\"volume\":\"v\","
            + "\"path\":\"/v\",\"appVolume\":{\"name\":\"v\",\"kind\":\"host\"}}]") + "]}",
            "pod manifest: apps[0].mounts[0].appVolume: volume v: source is required for a "
                + "host volume"),
        Arguments.of(HEAD + ",\"volumes\":[{\"name\":\"v\",\"kind\":\"host\",\"source\":\"/a\"},"
            + "{\"name\":\"v\",\"kind\":\"empty\"}]}",
            "pod manifest: volumes[1].name: \"v\" is already the name of volumes[0]"),
        Arguments.of(HEAD + ",\"volumes\":[{\"name\":\"v\",\"kind\":\"tmpfs\"}]}",
            "pod manifest: volumes[0]: volume v: kind \"tmpfs\" is not one of \"host\", "
                + "\"empty\""),
        Arguments.of(HEAD + ",\"volumes\":[{\"name\":\"v\",\"kind\":\"empty\",\"uid\":\"0\"}]}",
            "pod manifest: volumes[0].uid: must be a whole number, got the string \"0\""),
        Arguments.of(HEAD + ",\"ports\":[{\"name\":\"http\",\"hostPort\":8080,"
            + "\"hostIP\":\"1.2.3.256\"}]}",
            "pod manifest: ports[0]: port http: hostIP \"1.2.3.256\" is not an IP address"),
        Arguments.of(HEAD + ",\"ports\":[{\"name\":\"http\"}]}",
            "pod manifest: ports[0].hostPort: must be set"),
        Arguments.of(HEAD + ",\"annotations\":[{\"name\":\"a\",\"value\":\"1\"},"
            + "{\"name\":\"a\",\"value\":\"2\"}]}",
            "pod manifest: annotations: duplicate annotation \"a\""),
        Arguments.of(HEAD + ",\"isolators\":[{\"name\":\"os/linux/cpu-shares\",\"value\":1}]}",
            "pod manifest: isolators[0] (os/linux/cpu-shares): value must be from 2 to 262144,"
                + " got 1"));
  }

  @ParameterizedTest
  @MethodSource("invalidPods")
  void rejectsInvalidPodsSayingWhere(String json, String message) {
    AppcException e = assertThrows(AppcException.class, () -> parse(json));
    assertEquals(message, e.getMessage());
  }

  @Test
  void readsHostIpsAndPodPorts() throws Exception {
    PodManifest p = parse(HEAD + ",\"ports\":[{\"name\":\"http\",\"hostPort\":8080,"
        + "\"hostIP\":\"::ffff:10.0.0.1\",\"podPort\":{\"name\":\"http\",\"protocol\":\"tcp\","
        + "\"port\":80,\"count\":1,\"socketActivated\":false}}]}");
    ExposedPort port = p.ports().get(0);
    assertEquals("::ffff:10.0.0.1", port.hostIP());
    assertEquals(80, port.podPort().port());
    assertEquals(p, parse(p.toJson(true)));
  }
}
