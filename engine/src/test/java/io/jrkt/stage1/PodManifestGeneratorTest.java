package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.App;
import io.jrkt.appc.EnvVar;
import io.jrkt.appc.Isolator;
import io.jrkt.appc.MountPoint;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.Port;
import io.jrkt.appc.AcName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodManifestGeneratorTest {
  private static final String STAGE1 = "coreos.com/rkt/stage1-fly";
  private final Map<String, String> hostEnv = new LinkedHashMap<>();
  private final PodManifestGenerator gen = new PodManifestGenerator("1.30.0", hostEnv);

  private static List<AppArgs> apps(String... words) throws ArgsException {
    return ImageArgsParser.parse(List.of(words));
  }

  @Test
  void goldenSingleApp() throws Exception {
    ResolvedImage busybox = TestImages.image('a', "example.com/busybox",
        TestImages.app("/bin/sh", "-c", "echo hi").environment(List.of(new EnvVar("A", "1")))
            .build());
    PodManifest pod = gen.generate(PodArgs.of(apps("busybox")), List.of(busybox), STAGE1);
    String hex = "a".repeat(64);
    assertEquals("{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\",\"apps\":[{"
        + "\"name\":\"busybox\",\"image\":{\"name\":\"example.com/busybox\",\"id\":\"sha512-"
        + hex + "\",\"labels\":[{\"name\":\"version\",\"value\":\"1.0\"},{\"name\":\"os\","
        + "\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}]},\"app\":{\"exec\":"
        + "[\"/bin/sh\",\"-c\",\"echo hi\"],\"user\":\"0\",\"group\":\"0\",\"environment\":"
        + "[{\"name\":\"A\",\"value\":\"1\"}]}}],\"volumes\":null,\"isolators\":null,"
        + "\"annotations\":[{\"name\":\"coreos.com/rkt/stage1/mutable\",\"value\":\"false\"},"
        + "{\"name\":\"jrkt.io/stage1-name\",\"value\":\"coreos.com/rkt/stage1-fly\"}],"
        + "\"ports\":null}", pod.toJson(false));
  }

  @Test
  void goldenWithEveryOverride() throws Exception {
    hostEnv.put("HOSTONLY", "h");
    hostEnv.put("B", "host-b");
    ResolvedImage img = TestImages.image('b', "example.com/web",
        TestImages.app("/bin/web", "--serve").user("web").group("web")
            .environment(List.of(new EnvVar("B", "image"), new EnvVar("C", "image")))
            .isolators(List.of(Isolator.set(Isolator.CAPABILITIES_REMOVE, List.of("CAP_KILL"),
                null), Isolator.cpuShares(100)))
            .addMountPoint(new MountPoint(new AcName("data"), "/data", false))
            .addPort(new Port(new AcName("http"), "tcp", 80))
            .userAnnotations(Map.of("img", "1"))
            .build());
    PodArgs args = new PodArgs(apps("web", "--name=front", "--exec=/bin/other",
            "--user=1000", "--group=1001", "--working-dir=/srv", "--readonly-rootfs",
            "--supplementary-gids=5", "--environment=C=app", "--memory=64M",
            "--caps-retain=CAP_NET_BIND_SERVICE", "--cpu-shares=200", "--annotation=a/b=c",
            "--user-annotation=x=y", "--user-label=l=v", "--mount=volume=logs,target=/logs",
            "--", "one", "two"),
        List.of(MountArg.parse("volume=data,target=/data")),
        List.of("data,kind=host,source=/srv/data,readOnly=true", "logs,kind=empty,mode=0700"),
        List.of(new KeyValue("B", "set-env")), List.of(new KeyValue("D", "file")), true,
        List.of("http:127.0.0.1:8080"));
    PodManifest pod = gen.generate(args, List.of(img), STAGE1);
    String expected = "{\n"
        + "\t\"acVersion\": \"1.30.0\",\n"
        + "\t\"acKind\": \"PodManifest\",\n"
        + "\t\"apps\": [\n"
        + "\t\t{\n"
        + "\t\t\t\"name\": \"front\",\n"
        + "\t\t\t\"image\": {\n"
        + "\t\t\t\t\"name\": \"example.com/web\",\n"
        + "\t\t\t\t\"id\": \"sha512-" + "b".repeat(64) + "\",\n"
        + "\t\t\t\t\"labels\": [\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"version\",\n\t\t\t\t\t\t\"value\": \"1.0\"\n"
        + "\t\t\t\t\t},\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"os\",\n\t\t\t\t\t\t\"value\": \"linux\"\n"
        + "\t\t\t\t\t},\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"arch\",\n\t\t\t\t\t\t\"value\": \"amd64\"\n"
        + "\t\t\t\t\t}\n"
        + "\t\t\t\t]\n"
        + "\t\t\t},\n"
        + "\t\t\t\"app\": {\n"
        + "\t\t\t\t\"exec\": [\n\t\t\t\t\t\"/bin/other\",\n\t\t\t\t\t\"one\",\n"
        + "\t\t\t\t\t\"two\"\n\t\t\t\t],\n"
        + "\t\t\t\t\"user\": \"1000\",\n"
        + "\t\t\t\t\"group\": \"1001\",\n"
        + "\t\t\t\t\"supplementaryGIDs\": [\n\t\t\t\t\t5\n\t\t\t\t],\n"
        + "\t\t\t\t\"workingDirectory\": \"/srv\",\n"
        + "\t\t\t\t\"environment\": [\n"
        + env("B", "set-env") + ",\n" + env("C", "app") + ",\n" + env("D", "file") + ",\n"
        + env("HOSTONLY", "h") + "\n"
        + "\t\t\t\t],\n"
        + "\t\t\t\t\"mountPoints\": [\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"data\",\n\t\t\t\t\t\t\"path\": \"/data\"\n"
        + "\t\t\t\t\t}\n\t\t\t\t],\n"
        + "\t\t\t\t\"ports\": [\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"http\",\n\t\t\t\t\t\t\"protocol\": \"tcp\",\n"
        + "\t\t\t\t\t\t\"port\": 80,\n\t\t\t\t\t\t\"count\": 1,\n"
        + "\t\t\t\t\t\t\"socketActivated\": false\n\t\t\t\t\t}\n\t\t\t\t],\n"
        + "\t\t\t\t\"isolators\": [\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"os/linux/cpu-shares\",\n"
        + "\t\t\t\t\t\t\"value\": 200\n\t\t\t\t\t},\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"resource/memory\",\n"
        + "\t\t\t\t\t\t\"value\": {\n\t\t\t\t\t\t\t\"request\": \"64M\",\n"
        + "\t\t\t\t\t\t\t\"limit\": \"64M\"\n\t\t\t\t\t\t}\n\t\t\t\t\t},\n"
        + "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"os/linux/capabilities-retain-set\",\n"
        + "\t\t\t\t\t\t\"value\": {\n\t\t\t\t\t\t\t\"set\": [\n"
        + "\t\t\t\t\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t\t\t\t\t]\n"
        + "\t\t\t\t\t\t}\n\t\t\t\t\t}\n"
        + "\t\t\t\t],\n"
        + "\t\t\t\t\"userAnnotations\": {\n\t\t\t\t\t\"img\": \"1\",\n"
        + "\t\t\t\t\t\"x\": \"y\"\n\t\t\t\t},\n"
        + "\t\t\t\t\"userLabels\": {\n\t\t\t\t\t\"l\": \"v\"\n\t\t\t\t}\n"
        + "\t\t\t},\n"
        + "\t\t\t\"readOnlyRootFS\": true,\n"
        + "\t\t\t\"mounts\": [\n"
        + "\t\t\t\t{\n\t\t\t\t\t\"volume\": \"data\",\n\t\t\t\t\t\"path\": \"/data\"\n"
        + "\t\t\t\t},\n"
        + "\t\t\t\t{\n\t\t\t\t\t\"volume\": \"logs\",\n\t\t\t\t\t\"path\": \"/logs\"\n"
        + "\t\t\t\t}\n\t\t\t],\n"
        + "\t\t\t\"annotations\": [\n"
        + "\t\t\t\t{\n\t\t\t\t\t\"name\": \"a/b\",\n\t\t\t\t\t\"value\": \"c\"\n\t\t\t\t}\n"
        + "\t\t\t]\n"
        + "\t\t}\n"
        + "\t],\n"
        + "\t\"volumes\": [\n"
        + "\t\t{\n\t\t\t\"name\": \"data\",\n\t\t\t\"kind\": \"host\",\n"
        + "\t\t\t\"source\": \"/srv/data\",\n\t\t\t\"readOnly\": true\n\t\t},\n"
        + "\t\t{\n\t\t\t\"name\": \"logs\",\n\t\t\t\"kind\": \"empty\",\n"
        + "\t\t\t\"mode\": \"0700\",\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t}\n"
        + "\t],\n"
        + "\t\"isolators\": null,\n"
        + "\t\"annotations\": [\n"
        + "\t\t{\n\t\t\t\"name\": \"coreos.com/rkt/stage1/mutable\",\n"
        + "\t\t\t\"value\": \"false\"\n\t\t},\n"
        + "\t\t{\n\t\t\t\"name\": \"jrkt.io/stage1-name\",\n"
        + "\t\t\t\"value\": \"coreos.com/rkt/stage1-fly\"\n\t\t}\n"
        + "\t],\n"
        + "\t\"ports\": [\n"
        + "\t\t{\n\t\t\t\"name\": \"http\",\n\t\t\t\"hostPort\": 8080,\n"
        + "\t\t\t\"hostIP\": \"127.0.0.1\"\n\t\t}\n"
        + "\t]\n"
        + "}";
    assertEquals(expected, pod.toJson(true));
  }

  private static String env(String name, String value) {
    return "\t\t\t\t\t{\n\t\t\t\t\t\t\"name\": \"" + name + "\",\n\t\t\t\t\t\t\"value\": \""
        + value + "\"\n\t\t\t\t\t}";
  }

  @Test
  void argsAfterDoubleDashAreAppendedToExecAsInRkt() throws Exception {
    ResolvedImage img = TestImages.image('a', "example.com/sh",
        TestImages.app("/bin/sh", "-c", "default").build());
    PodManifest pod = gen.generate(PodArgs.of(apps("sh", "--", "-c", "mine")), List.of(img),
        STAGE1);
    assertEquals(List.of("/bin/sh", "-c", "default", "-c", "mine"),
        pod.apps().get(0).app().exec());
    pod = gen.generate(PodArgs.of(apps("sh", "--exec=/bin/true")), List.of(img), STAGE1);
    assertEquals(List.of("/bin/true"), pod.apps().get(0).app().exec());
  }

  @Test
  void imageWithoutAppNeedsExec() throws Exception {
    ResolvedImage bare = new ResolvedImage(TestImages.id('c'),
        TestImages.manifest("example.com/bare").build());
    assertEquals("image bare has no app section; give --exec=BINARY",
        assertThrows(ArgsException.class,
            () -> gen.generate(PodArgs.of(apps("bare")), List.of(bare), STAGE1)).getMessage());
    App app = gen.generate(PodArgs.of(apps("bare", "--exec=/bin/x", "--", "1")), List.of(bare),
        STAGE1).apps().get(0).app();
    assertEquals(List.of("/bin/x", "1"), app.exec());
    assertEquals("0", app.user());
  }

  @Test
  void duplicateAppNamesAreAnError() throws Exception {
    ResolvedImage a = TestImages.image('a', "example.com/app", TestImages.app("/a").build());
    ResolvedImage b = TestImages.image('b', "other.org/app", TestImages.app("/b").build());
    assertEquals("app name \"app\" is used by two images (x and y); give one of them --name",
        assertThrows(ArgsException.class,
            () -> gen.generate(PodArgs.of(apps("x", "y")), List.of(a, b), STAGE1))
            .getMessage());
    PodManifest ok = gen.generate(PodArgs.of(apps("x", "y", "--name=app-2")), List.of(a, b),
        STAGE1);
    assertEquals("app-2", ok.apps().get(1).name().value());
  }

  @Test
  void checksWhatTheCommandLineRefersTo() throws Exception {
    ResolvedImage img = TestImages.image('a', "example.com/app", TestImages.app("/a").build());
    PodArgs badMount = new PodArgs(apps("x", "--mount=volume=nope,target=/n"), List.of(),
        List.of(), List.of(), List.of(), false, List.of());
    assertTrue(assertThrows(ArgsException.class, () -> gen.generate(badMount, List.of(img),
        STAGE1)).getMessage().endsWith("no --volume named \"nope\""));
    PodArgs badPort = new PodArgs(apps("x"), List.of(), List.of(), List.of(), List.of(), false,
        List.of("web:80"));
    assertEquals("--port=web:80: no app of the pod has a port named \"web\"",
        assertThrows(ArgsException.class, () -> gen.generate(badPort, List.of(img), STAGE1))
            .getMessage());
    PodArgs dupVolume = new PodArgs(apps("x"), List.of(),
        List.of("v,kind=empty", "v,kind=host,source=/"), List.of(), List.of(), false, List.of());
    assertEquals("--volume: the name \"v\" is given twice", assertThrows(ArgsException.class,
        () -> gen.generate(dupVolume, List.of(img), STAGE1)).getMessage());
    ResolvedImage noArch = new ResolvedImage(TestImages.id('d'),
        io.jrkt.appc.ImageManifest.builder(new io.jrkt.appc.AcIdentifier("example.com/x"))
            .label("os", "linux").app(TestImages.app("/a").build()).build());
    assertTrue(assertThrows(ArgsException.class, () -> gen.generate(PodArgs.of(apps("x")),
        List.of(noArch), STAGE1)).getMessage().contains("no arch label"));
  }

  @Test
  void seccompAndCapsReplaceTheOppositeSet() throws Exception {
    List<Isolator> image = List.of(Isolator.set(Isolator.SECCOMP_RETAIN, List.of("read"), null),
        Isolator.set(Isolator.CAPABILITIES_RETAIN, List.of("CAP_CHOWN"), null));
    IsolatorArgs o = ImageArgsParser.parse(List.of("x", "--seccomp=mode=remove,chmod",
        "--caps-remove=CAP_KILL")).get(0).isolators();
    List<Isolator> out = PodManifestGenerator.isolators(image, o, "x");
    assertEquals(List.of(Isolator.CAPABILITIES_REMOVE, Isolator.SECCOMP_REMOVE),
        out.stream().map(Isolator::name).sorted().toList());
  }

  @Test
  void podManifestIsCompletedNotRewritten() throws Exception {
    ResolvedImage img = TestImages.image('a', "example.com/app", TestImages.app("/a").build());
    PodManifest given = gen.generate(PodArgs.of(apps("x")), List.of(img), "other/stage1")
        .toBuilder().acVersion("0.8.11").addAnnotation("mine", "1").build();
    PodManifest done = gen.complete(given, STAGE1);
    assertEquals("1.30.0", done.acVersion());
    assertEquals("1", done.annotations().get("mine").get());
    assertEquals(STAGE1, done.annotations().get(PodManifestGenerator.STAGE1_NAME_ANNOTATION)
        .get());
    assertEquals(given.apps(), done.apps());
    assertEquals("--pod-manifest: the pod manifest has no apps", assertThrows(
        ArgsException.class, () -> gen.complete(given.toBuilder().apps(List.of()).build(),
            STAGE1)).getMessage());
  }
}
