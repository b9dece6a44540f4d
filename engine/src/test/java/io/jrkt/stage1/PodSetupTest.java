package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.store.ImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole prepare path on a real image store and pod store in a temporary data dir. */
class PodSetupTest {
  private static final String FLY = "coreos.com/rkt/stage1-fly";

  @TempDir
  Path tmp;
  Path data;
  Path bin;
  ImageStore store;
  PodStore pods;
  List<String> warnings = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    String lib = System.getProperty("jrkt.native.lib");
    assumeTrue(lib != null && Files.exists(Path.of(lib)), "needs the JNI library (flock)");
    data = tmp.resolve("data");
    bin = Files.createDirectories(tmp.resolve("bin"));
    aci(bin.resolve("stage1-fly.aci"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"" + FLY + "\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
        + "{\"name\":\"arch\",\"value\":\"amd64\"}],\"annotations\":["
        + "{\"name\":\"coreos.com/rkt/stage1/run\",\"value\":\"/run\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/interface-version\",\"value\":\"5\"}]}", "run");
    store = ImageStore.open(data);
    pods = new PodStore(data);
  }

  /** Writes an ACI with the manifest and the given files (content = their names) in rootfs. */
  private Path aci(Path file, String manifest, String... files) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "aci");
    Files.writeString(dir.resolve("manifest"), manifest);
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    for (String f : files) {
      Path p = rootfs.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, f);
    }
    Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", file.toString(),
        "manifest", "rootfs").redirectErrorStream(true).start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    return file;
  }

  private Path app(String name, String user) throws Exception {
    return aci(tmp.resolve(name + ".aci"), "{\"acKind\":\"ImageManifest\",\"acVersion\":"
        + "\"0.8.11\",\"name\":\"example.com/" + name + "\",\"labels\":[{\"name\":\"os\","
        + "\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],\"app\":{\"exec\":"
        + "[\"/bin/app\"],\"user\":\"" + user + "\",\"group\":\"0\"}}", "bin/app", "etc/passwd");
  }

  private PodSetup setup() {
    Stage1Selector selector = new Stage1Selector(new StoreCatalog(store),
        new Stage1ImportCache(data.resolve("stage1-imports")), bin, Stage1Config.NONE, "1.30.0",
        line -> { });
    return new PodSetup(store, pods, selector, new ImageArgResolver(store, true, "new"),
        new PodManifestGenerator("1.30.0", Map.of()), line -> { }, warnings::add);
  }

  private PodSetup.Request request(String... words) throws ArgsException {
    return new PodSetup.Request(Optional.of(PodArgs.of(ImageArgsParser.parse(List.of(words)))),
        Optional.empty(), new Stage1Request.ByName(FLY, Optional.empty()),
        Optional.of(tmp.resolve("uuid")), DnsConfig.NONE);
  }

  private long podDirs() throws IOException {
    Path podsDir = data.resolve("pods");
    if (!Files.exists(podsDir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(podsDir, 2)) {
      return s.filter(p -> p.getNameCount() - podsDir.getNameCount() == 2).count();
    }
  }

  @Test
  void anAppOfTheStage1sOwnImageIsCopiedNotLayered() throws Exception {
    Files.createDirectories(data.resolve("pods"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        OverlaySupport.unavailableReason(data.resolve("pods")).isEmpty(),
        "overlayfs is not usable here");
    PodSetup.Prepared p = setup().prepare(request(bin.resolve("stage1-fly.aci").toString(),
        "--exec=/run"));
    Path dir = p.pod().dir();
    assertFalse(Files.exists(dir.resolve("overlay-prepared")));
    String app = p.manifest().apps().get(0).name().value();
    assertEquals("run", Files.readString(dir.resolve("stage1/rootfs/opt/stage2").resolve(app)
        .resolve("rootfs/run")));
    p.pod().markPrepared();
  }

  @Test
  void overlayPodsReferToTheTreeStoreInsteadOfCopying() throws Exception {
    Files.createDirectories(data.resolve("pods"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        OverlaySupport.unavailableReason(data.resolve("pods")).isEmpty(),
        "overlayfs is not usable here");
    PodSetup.Prepared p = setup().prepare(request(app("hello", "0").toString()));
    Path dir = p.pod().dir();
    assertTrue(Files.exists(dir.resolve("overlay-prepared")));
    assertFalse(Files.exists(dir.resolve("stage1/rootfs/opt/stage2/hello/rootfs/bin/app")));
    String appTree = Files.readString(dir.resolve("appsinfo/hello/treeStoreID"));
    assertEquals("bin/app", Files.readString(data.resolve("cas/tree").resolve(appTree)
        .resolve("rootfs/bin/app")));
    String s1 = Files.readString(dir.resolve("stage1TreeStoreID"));
    assertTrue(Files.isRegularFile(dir.resolve("overlay").resolve(s1).resolve("upper/rkt/plan")));
    p.pod().markPrepared();
  }

  @Test
  void preparesAPodThatCanBeMarkedPrepared() throws Exception {
    PodSetup.Prepared p = setup().prepare(request(app("hello", "0").toString(), "--", "x")
        .withNoOverlay(true));
    Path dir = p.pod().dir();
    assertEquals(data.resolve("pods/prepare").resolve(p.pod().uuid().value()), dir);
    assertEquals(data.resolve("pods/run").resolve(p.pod().uuid().value()), p.runDir());
    assertEquals(p.pod().uuid().value(), Files.readString(tmp.resolve("uuid")));
    assertEquals(5, p.entrypoints().interfaceVersion());
    assertEquals(List.of("/bin/app", "x"), p.manifest().apps().get(0).app().exec());
    assertEquals("bin/app", Files.readString(dir.resolve(
        "stage1/rootfs/opt/stage2/hello/rootfs/bin/app")));
    assertEquals("run", Files.readString(dir.resolve("stage1/rootfs/run")));
    assertTrue(Files.isRegularFile(dir.resolve("stage1/rootfs/rkt/plan")));
    assertTrue(Files.readString(dir.resolve("stage1TreeStoreID")).startsWith("deps-sha512-"));
    assertEquals(PodState.PREPARING, pods.get(p.pod().uuid()).state());
    p.pod().markPrepared();
    assertEquals(PodState.PREPARED, pods.get(p.pod().uuid()).state());
  }

  @Test
  void flyRefusesTwoAppsBeforeCreatingAPod() throws Exception {
    String a = app("a", "0").toString();
    String b = app("b", "0").toString();
    Stage1Exception e = assertThrows(Stage1Exception.class,
        () -> setup().prepare(request(a, "---", b)));
    assertEquals("stage1-fly supports exactly one app per pod; got 2", e.getMessage());
    assertEquals(0, podDirs());
    assertFalse(Files.exists(tmp.resolve("uuid")));
  }

  @Test
  void aFailureAfterCreationLeavesNoPodDirectory() throws Exception {
    Stage1Exception e = assertThrows(Stage1Exception.class,
        () -> setup().prepare(request(app("nouser", "nobody").toString())));
    assertEquals("app \"nouser\": user \"nobody\" not found in the image's /etc/passwd",
        e.getMessage());
    assertEquals(0, podDirs());
    assertTrue(Files.exists(tmp.resolve("uuid")), "the UUID was saved right after creation");
  }

  @Test
  void podManifestWithAMissingImageIsRefusedBeforeCreation() throws Exception {
    Path pm = Files.writeString(tmp.resolve("pod.json"), "{\"acVersion\":\"0.8.11\","
        + "\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"x\",\"image\":{\"id\":\"sha512-"
        + "0".repeat(64) + "\"}}]}");
    PodSetup.Request r = new PodSetup.Request(Optional.empty(), Optional.of(pm),
        new Stage1Request.ByName(FLY, Optional.empty()), Optional.empty(), DnsConfig.NONE);
    Stage1Exception e = assertThrows(Stage1Exception.class, () -> setup().prepare(r));
    assertEquals("--pod-manifest: app \"x\": image sha512-" + "0".repeat(64)
        + " is not in the store (fetch it first)", e.getMessage());
    assertEquals(0, podDirs());
  }

  @Test
  void podManifestIsUsedAsGiven() throws Exception {
    PodSetup.Prepared first = setup().prepare(request(app("hello", "0").toString()));
    String json = first.manifest().toJson(false);
    first.pod().markPrepared();
    Path pm = Files.writeString(tmp.resolve("pod.json"), json);
    PodSetup.Request r = new PodSetup.Request(Optional.empty(), Optional.of(pm),
        new Stage1Request.Default(), Optional.empty(), DnsConfig.NONE);
    PodSetup.Prepared second = setup().prepare(r);
    assertEquals(first.manifest(), second.manifest());
    assertEquals(FLY, second.stage1().image().name(), "no stage1-coreos: fly is the fallback");
    second.pod().close();
  }

  /** Records what {@link PodSetup} asks of a sidecar that wants to start early. */
  private static final class RecordingSidecar implements PodSetup.Sidecar {
    final List<String> calls = new ArrayList<>();

    @Override
    public boolean startsEarly(Stage1Flavor flavor) {
      return true;
    }

    @Override
    public void start(Path podDir, String uuid, io.jrkt.appc.PodManifest manifest,
        Stage1Flavor flavor) {
      calls.add("start " + (manifest == null ? "before the manifest" : "with the manifest")
          + (Files.isDirectory(podDir) ? "" : " without a pod directory"));
    }

    @Override
    public boolean undo() {
      calls.add("undo");
      return true;
    }
  }

  @Test
  void anEarlySidecarStartsBeforeTheImagesAndIsUndoneWhenOneIsMissing() throws Exception {
    RecordingSidecar early = new RecordingSidecar();
    PodSetup.Prepared p = setup().prepare(request(app("hello", "0").toString()), early);
    assertEquals(List.of("start before the manifest"), early.calls);
    p.pod().markPrepared();

    RecordingSidecar failing = new RecordingSidecar();
    Stage1Exception e = assertThrows(Stage1Exception.class,
        () -> setup().prepare(request("example.com/not-fetched"), failing));
    assertTrue(e.getMessage().contains("example.com/not-fetched"), e.getMessage());
    assertEquals(List.of("start before the manifest", "undo"), failing.calls);
    assertEquals(1, podDirs(), "only the first pod is left");
  }

  @Test
  void aPodWithPortsStartsItsSidecarWithTheManifest() throws Exception {
    Path web = aci(tmp.resolve("web.aci"), "{\"acKind\":\"ImageManifest\",\"acVersion\":"
        + "\"0.8.11\",\"name\":\"example.com/web\",\"labels\":[{\"name\":\"os\","
        + "\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],\"app\":{\"exec\":"
        + "[\"/bin/app\"],\"user\":\"0\",\"group\":\"0\",\"ports\":[{\"name\":\"http\","
        + "\"protocol\":\"tcp\",\"port\":80}]}}", "bin/app");
    RecordingSidecar sidecar = new RecordingSidecar();
    PodArgs args = PodArgs.of(ImageArgsParser.parse(List.of(web.toString())));
    args = new PodArgs(args.apps(), List.of(), List.of(), List.of(), List.of(), false,
        List.of("http:8080"));
    PodSetup.Request r = new PodSetup.Request(Optional.of(args), Optional.empty(),
        new Stage1Request.ByName(FLY, Optional.empty()), Optional.empty(), DnsConfig.NONE);
    PodSetup.Prepared p = setup().prepare(r, sidecar);
    assertEquals(List.of("start with the manifest"), sidecar.calls,
        "the ports are the images': the sidecar waits for them");
    assertEquals(1, p.manifest().ports().size());
    p.pod().markPrepared();
  }
}
