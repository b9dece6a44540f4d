package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fetch} of OCI images from layouts and archives built with umoci and skopeo: ids, the
 * appc manifest made from the config, whiteouts, shared layers, image commands and pods.
 */
class OciFetchTest extends FunctionalTest {
  private static final String SHORT_SHA256 = "sha256-[0-9a-f]{32}";
  private Path layout;

  @BeforeAll
  void buildImages() {
    layout = jrkt.work().resolve("layout");
    OciImages.busybox(layout, "v1", jrkt.work(), List.of(
        "--config.entrypoint", "sh", "--config.cmd", "-c",
        "--config.cmd", "echo \"FOO=$FOO uid=$(id -u) gid=$(id -g) pwd=$(pwd)\"; cat /etc/motd",
        "--config.env", "FOO=from-config", "--config.workingdir", "/etc",
        "--config.user", "app", "--config.exposedports", "8080/tcp",
        "--config.volume", "/data"));
    // v2 = v1 plus a layer that deletes /etc/motd (umoci writes a whiteout) and adds a file.
    OciImages.addLayer(layout, "v1", "v2", jrkt.work(), root -> {
      Files.delete(root.resolve("etc/motd"));
      Files.writeString(root.resolve("etc/v2"), "layer 2\n");
    });
  }

  private String manifestDigest(String tag) {
    String index = Jrkt.read(layout.resolve("index.json"));
    Map<String, Object> idx = MiniJson.object(MiniJson.parse(index));
    for (Object o : MiniJson.array(idx.get("manifests"))) {
      Map<String, Object> d = MiniJson.object(o);
      Map<String, Object> ann = MiniJson.object(d.get("annotations"));
      if (tag.equals(ann.get("org.opencontainers.image.ref.name"))) {
        return ((String) d.get("digest")).replace(':', '-');
      }
    }
    throw new AssertionError("no tag " + tag + " in " + index);
  }

  private Result fetch(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of(Jrkt.INSECURE, "fetch", "--full"));
    cmd.addAll(List.of(args));
    return jrkt.run(cmd);
  }

  @Test
  void ociLayoutFetchesAsSha256OfItsManifestAndRuns() {
    Result r = jrkt.run(Jrkt.INSECURE, "fetch", "oci:" + layout + ":v1").ok();
    assertEquals(1, r.lines().size(), r.toString());
    assertTrue(r.lines().get(0).matches(SHORT_SHA256), r.toString());
    String id = manifestDigest("v1");
    assertTrue(id.startsWith(r.lines().get(0)), r + " vs " + id);

    String manifest = jrkt.run("image", "cat-manifest", id).ok().out();
    Map<String, Object> m = MiniJson.object(MiniJson.parse(manifest));
    assertEquals("layout", m.get("name"));
    Map<String, Object> app = MiniJson.object(m.get("app"));
    assertEquals("/bin/sh", MiniJson.array(app.get("exec")).get(0), manifest);
    assertEquals("1000", app.get("user"));
    assertEquals("1001", app.get("group"));
    assertEquals("/etc", app.get("workingDirectory"));
    assertTrue(manifest.contains("\"appc.io/docker/entrypoint\""), manifest);
    assertTrue(manifest.contains("\"appc.io/docker/manifesthash\""), manifest);
    assertTrue(manifest.contains("\"8080-tcp\""), manifest);
    assertTrue(manifest.contains("\"volume-data\""), manifest);

    Jrkt.PodRun run = jrkt.runPod(List.of(id));
    run.result().ok();
    assertEquals(List.of("FOO=from-config uid=1000 gid=1001 pwd=/etc", "motd from layer 1"),
        run.result().lines(), run.result().toString());
    Map<String, Object> pod = podManifest(run.requireUuid());
    Map<String, Object> image = MiniJson.object(MiniJson.object(
        MiniJson.array(pod.get("apps")).get(0)).get("image"));
    assertEquals(id, image.get("id"), "the pod manifest records the typed digest");
  }

  @Test
  void whiteoutsOfLaterLayersAreApplied() {
    String id = fetch("oci:" + layout + ":v2").ok().lines().get(0);
    assertEquals(manifestDigest("v2"), id);
    Path out = jrkt.work().resolve("render-v2");
    jrkt.run("image", "render", "--rootfs-only", id, out.toString()).ok();
    assertFalse(Files.exists(out.resolve("etc/motd"), LinkOption.NOFOLLOW_LINKS),
        "the whiteout of layer 2 removes /etc/motd");
    assertFalse(Files.exists(out.resolve("etc/.wh.motd"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("layer 2\n", Jrkt.read(out.resolve("etc/v2")));
    assertTrue(Files.isRegularFile(out.resolve("bin/busybox")));
    jrkt.run("image", "verify", id).ok();
  }

  @Test
  void aDamagedTreeIsRenderedAgainFromTheStoredLayers() throws IOException {
    String id = fetch("oci:" + layout + ":v2").ok().lines().get(0);
    Path tree;
    try (Stream<Path> trees = Files.list(jrkt.data().resolve("cas/tree"))) {
      tree = trees.filter(t -> Jrkt.read(t.resolve("image")).equals(id)).findFirst()
          .orElseThrow();
    }
    Files.writeString(tree.resolve("rootfs/etc/v2"), "damaged\n");
    Files.writeString(tree.resolve("rootfs/etc/motd"), "a file a whiteout removed\n");
    Result r = jrkt.run("image", "verify", id);
    assertTrue(r.out().contains("tree was corrupt, rendered again"), r.toString());
    assertEquals("layer 2\n", Jrkt.read(tree.resolve("rootfs/etc/v2")));
    assertFalse(Files.exists(tree.resolve("rootfs/etc/motd")));
    jrkt.run("image", "verify", id).ok();
  }

  @Test
  void layersAreStoredOnceAndSharedBetweenImages() {
    Path data = jrkt.data();
    String v1 = fetch("oci:" + layout + ":v1").ok().lines().get(0);
    String v2 = fetch("oci:" + layout + ":v2").ok().lines().get(0);
    List<String> blobs = sha256Blobs(data);
    // v1: manifest, config, layer 1; v2: manifest, config (other history), layer 2; layer 1
    // once only.
    assertEquals(6, blobs.size(), blobs.toString());
    // Fetching again, also from a copy of the layout named by its plain path, stores nothing.
    assertEquals(v2, fetch("oci:" + layout + ":v2").ok().lines().get(0));
    Path single = jrkt.work().resolve("single");
    OciImages.tool(List.of("skopeo", "copy", "--quiet", "oci:" + layout + ":v1",
        "oci:" + single + ":only"));
    assertEquals(v1, fetch(single.toString()).ok().lines().get(0));
    assertEquals(blobs, sha256Blobs(data));
    Result r = fetch(layout.toString()).rejected();
    assertTrue(r.err().contains("holds 2 images; name one with :REF (it has: v1, v2)"),
        r.toString());
  }

  private static List<String> sha256Blobs(Path data) {
    Path root = data.resolve("cas/blob/sha256");
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void ociAndDockerArchivesFromSkopeo() {
    Path ociArchive = jrkt.work().resolve("img-oci.tar");
    Path dockerArchive = jrkt.work().resolve("img-docker.tar");
    OciImages.tool(List.of("skopeo", "copy", "--quiet", "oci:" + layout + ":v1",
        "oci-archive:" + ociArchive + ":v1"));
    OciImages.tool(List.of("skopeo", "copy", "--quiet", "oci:" + layout + ":v1",
        "docker-archive:" + dockerArchive + ":example.com/team/app:1.5"));

    String fromOci = fetch("oci-archive:" + ociArchive).ok().lines().get(0);
    assertTrue(fromOci.matches("sha256-[0-9a-f]{64}"), fromOci);
    assertEquals(manifestDigest("v1"), fromOci, "skopeo keeps the manifest of an oci copy");

    String fromDocker = fetch("docker-archive:" + dockerArchive).ok().lines().get(0);
    String listed = jrkt.run("image", "list", "--full", "--no-legend").ok().lines().stream()
        .filter(l -> l.startsWith(fromDocker)).findFirst().orElseThrow();
    assertEquals("example.com/team/app:1.5", Ids.cells(listed).get(1), listed);
    Jrkt.PodRun run = jrkt.runPod(List.of(fromDocker));
    run.result().ok();
    assertEquals("FOO=from-config uid=1000 gid=1001 pwd=/etc", run.result().lines().get(0));
    // The same archive again: the same id, from the made-up manifest's digest.
    assertEquals(fromDocker, fetch("docker-archive:" + dockerArchive).ok().lines().get(0));
  }

  @Test
  void imageCommandsWorkForOciImages() {
    String id = fetch("oci:" + layout + ":v2").ok().lines().get(0);
    Path aci = jrkt.work().resolve("exported.aci");
    jrkt.run("image", "export", id, aci.toString()).ok();
    String aciId = jrkt.fetch(aci);
    assertTrue(aciId.startsWith("sha512-"), aciId);
    Path extracted = jrkt.work().resolve("extracted");
    jrkt.run("image", "extract", id, extracted.toString()).ok();
    assertTrue(Jrkt.read(extracted.resolve("manifest")).contains("appc.io/docker/manifesthash"));
    assertFalse(Files.exists(extracted.resolve("rootfs/etc/motd"), LinkOption.NOFOLLOW_LINKS));

    jrkt.run("image", "rm", id).ok();
    assertFalse(jrkt.run("image", "list", "--full", "--no-legend").ok().out().contains(id));
    // Its own layer 2 and config went with it; what other images use stays.
    for (String blob : sha256Blobs(jrkt.data())) {
      assertFalse(blob.equals(id), "manifest blob of the removed image is left: " + blob);
    }
    assertEquals(manifestDigest("v2"), fetch("oci:" + layout + ":v2").ok().lines().get(0));
  }

  @Test
  void progressIsShownOnATerminalOnly() {
    Path own = jrkt.work().resolve("progress-layout");
    OciImages.busybox(own, "p", jrkt.work(), List.of("--config.cmd", "/bin/true"));
    // A terminal for stdin and stdout, from script(1).
    String cmd = jrkt.bin().resolve("jrkt") + " --dir=" + jrkt.data() + " " + Jrkt.INSECURE
        + " fetch oci:" + own + ":p";
    String tty = OciImages.tool(List.of("script", "-qec", cmd, "/dev/null"));
    assertTrue(tty.contains("layers 1/1"), tty);
    assertTrue(tty.contains("sha256-"), tty);
    jrkt.run("image", "rm", tty.replaceAll("(?s).*(sha256-[0-9a-f]{32}).*", "$1")).ok();
    Result piped = jrkt.run(Jrkt.INSECURE, "fetch", "oci:" + own + ":p").ok();
    assertEquals(1, piped.lines().size(), piped.toString());
    assertEquals("", piped.err(), piped.toString());
    jrkt.run("image", "rm", piped.lines().get(0)).ok();
  }

  @Test
  void gcRemovesContentNoImageNames() throws IOException {
    String id = fetch("oci:" + layout + ":v1").ok().lines().get(0);
    Path stray = jrkt.data().resolve("cas/blob/sha256/ab/sha256-" + "ab".repeat(32));
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "left by an interrupted removal");
    Result r = jrkt.run("image", "gc").ok();
    assertFalse(Files.exists(stray), r.toString());
    assertTrue(sha256Blobs(jrkt.data()).contains(id), "the stored image keeps its blobs");
    // gc took the tree no pod uses; fetching the stored image renders it again at once.
    assertEquals(id, fetch("oci:" + layout + ":v1").ok().lines().get(0));
    try (Stream<Path> trees = Files.list(jrkt.data().resolve("cas/tree"))) {
      assertTrue(trees.anyMatch(t -> Files.exists(t.resolve("rendered"))
          && Jrkt.read(t.resolve("image")).equals(id)), "tree of " + id);
    }
  }

  @Test
  void fetchNeedsInsecureImageAndAnExistingRef() {
    jrkt.run("fetch", "oci:" + layout + ":v1").rejected();
    Result r = fetch("oci:" + layout + ":nope").rejected();
    assertTrue(r.err().contains("has no image \"nope\""), r.toString());
    r = fetch("oci:" + jrkt.work().resolve("no-such-dir")).rejected();
    assertTrue(r.err().contains("oci-layout"), r.toString());
  }

  @Test
  void theStoredManifestHashesToTheImageId() {
    String id = fetch("oci:" + layout + ":v1").ok().lines().get(0);
    Path blob = jrkt.data().resolve("cas/blob/sha256").resolve(id.substring(7, 9)).resolve(id);
    assertEquals(id.substring(7), OciImages.sha256(readBytes(blob)),
        "the stored OCI manifest hashes to the image id");
  }

  private static byte[] readBytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
