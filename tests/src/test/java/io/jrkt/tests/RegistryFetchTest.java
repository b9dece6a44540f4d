package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fetch docker://} from a real registry (Debian's docker-registry, started here on
 * 127.0.0.1), images pushed with skopeo: tags, digests, image indexes, basic auth, and faults
 * (404, 401, 500, a connection dropped mid-layer, a registry restart mid-fetch).
 */
class RegistryFetchTest extends FunctionalTest {
  private static final String HTTP = "--insecure-options=image,http";
  private TestRegistry registry;
  private TestRegistry authRegistry;
  private Path layout;

  @BeforeAll
  void startRegistryAndPush() throws IOException {
    layout = jrkt.work().resolve("layout");
    OciImages.busybox(layout, "v1", jrkt.work(), List.of("--config.cmd", "/bin/sh",
        "--config.cmd", "-c", "--config.cmd", "echo registry image; cat /etc/motd"));
    // "big": two more layers of incompressible data, about 24 MiB, for the fault tests.
    OciImages.busybox(layout, "big", jrkt.work(), List.of("--config.cmd", "/bin/true"));
    for (int i = 1; i <= 2; i++) {
      int layer = i;
      OciImages.addLayer(layout, "big", "big", jrkt.work(), root -> {
        byte[] data = new byte[12 << 20];
        new Random(layer).nextBytes(data);
        Files.write(root.resolve("data-" + layer), data);
      });
    }
    registry = TestRegistry.start(jrkt.work().resolve("registry"), null);
    registry.push(layout, "v1", "team/busy:v1", null);
    registry.push(layout, "big", "team/big:1", null);
  }

  @AfterAll
  void stopRegistries() {
    if (registry != null) {
      registry.close();
    }
    if (authRegistry != null) {
      authRegistry.close();
    }
  }

  private Result fetch(String... args) {
    List<String> cmd = new ArrayList<>(List.of(HTTP, "fetch", "--full"));
    cmd.addAll(List.of(args));
    return jrkt.run(cmd);
  }

  private String fetchId(String... args) {
    Result r = fetch(args).ok();
    assertEquals(1, r.lines().size(), r.toString());
    return r.lines().get(0);
  }

  /** Fetch that must fail with one line containing {@code expected}, store untouched. */
  private Result refused(String expected, String... args) {
    jrkt.run("image", "list").ok();
    List<String> before = jrkt.snapshot();
    Result r = fetch(args).rejected();
    assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in:\n" + r);
    assertEquals(before, jrkt.snapshot(), "the store changed:\n" + r);
    return r;
  }

  @Test
  void fetchByTagAndByDigestThenRun() {
    String ref = "docker://" + registry.address() + "/team/busy:v1";
    String id = fetchId(ref);
    assertTrue(id.matches("sha256-[0-9a-f]{64}"), id);
    assertEquals(id, fetchId("docker://" + registry.address() + "/team/busy@"
        + id.replace('-', ':')));
    // The same content fetched under another name earlier keeps that name: start afresh.
    jrkt.run("image", "rm", id).ok();
    assertEquals(id, fetchId(ref));
    String manifest = jrkt.run("image", "cat-manifest", id).ok().out();
    assertTrue(manifest.contains("\"appc.io/docker/registryurl\",\n\t\t\t\"value\": \""
        + registry.address() + "\""), manifest);
    assertTrue(manifest.contains("\"value\": \"team/busy\""), manifest);
    assertTrue(manifest.contains("\"appc.io/docker/tag\",\n\t\t\t\"value\": \"v1\""), manifest);
    Jrkt.PodRun run = jrkt.runPod(List.of(id));
    run.result().ok();
    assertEquals(List.of("registry image", "motd from layer 1"), run.result().lines());
  }

  @Test
  void imageIndexPicksLinuxAmd64() throws IOException {
    Path multi = jrkt.work().resolve("multi");
    OciImages.tool(List.of("skopeo", "copy", "--quiet", "oci:" + layout + ":v1",
        "oci:" + multi + ":amd"));
    Map<String, Object> amd = onlyEntry(multi);
    String amdDigest = (String) amd.get("digest");
    OciImages.Layout l = new OciImages.Layout(multi);
    String armConfig = l.blob("application/vnd.oci.image.config.v1+json",
        OciImages.Layout.config("arm64", "[\"/bin/true\"]").getBytes(StandardCharsets.UTF_8));
    String arm = l.manifest(armConfig, List.of());
    String amdEntry = OciImages.Layout.descriptor((String) amd.get("mediaType"), amdDigest,
        ((Number) amd.get("size")).longValue());
    l.index(l.blob("application/vnd.oci.image.index.v1+json", index(platform(arm, "arm64"),
        platform(amdEntry, "amd64")).getBytes(StandardCharsets.UTF_8)), "multi");
    // skopeo pushes the index as it is only with --all.
    OciImages.tool(List.of("skopeo", "copy", "--quiet", "--all", "--dest-tls-verify=false",
        "oci:" + multi + ":multi", "docker://" + registry.address() + "/team/multi:1"));
    assertEquals(amdDigest.replace(':', '-'),
        fetchId("docker://" + registry.address() + "/team/multi:1"));

    l.index(l.blob("application/vnd.oci.image.index.v1+json", index(platform(arm, "arm64"))
        .getBytes(StandardCharsets.UTF_8)), "armonly");
    OciImages.tool(List.of("skopeo", "copy", "--quiet", "--all", "--dest-tls-verify=false",
        "oci:" + multi + ":armonly", "docker://" + registry.address() + "/team/armonly:1"));
    refused("has no manifest for linux/amd64 (it has: linux/arm64)",
        "docker://" + registry.address() + "/team/armonly:1");
  }

  private static Map<String, Object> onlyEntry(Path layoutDir) {
    Map<String, Object> idx = MiniJson.object(MiniJson.parse(
        Jrkt.read(layoutDir.resolve("index.json"))));
    return MiniJson.object(MiniJson.array(idx.get("manifests")).get(0));
  }

  private static String platform(String descriptor, String arch) {
    return descriptor.substring(0, descriptor.length() - 1)
        + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}}";
  }

  private static String index(String... entries) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"manifests\":[" + String.join(",", entries) + "]}";
  }

  @Test
  void pullPoliciesNeverAndNewUseTheStore() throws IOException {
    // Stored content keeps the name it was first fetched under: start without it.
    jrkt.run("image", "rm", fetchId("docker://" + registry.address() + "/team/busy:v1")).ok();
    String ref;
    String id;
    try (FaultProxy proxy = new FaultProxy(registry.port())) {
      ref = "docker://" + proxy.address() + "/team/busy:v1";
      refused("is not in the store (pull policy \"never\")", "--pull-policy=never", ref);
      id = fetchId("--pull-policy=new", ref);
    }
    // The proxy is gone: only the store can answer now.
    assertEquals(id, fetchId("--pull-policy=never", ref));
    assertEquals(id, fetchId("--pull-policy=new", ref));
    String byDigest = ref.substring(0, ref.lastIndexOf(':')) + "@" + id.replace('-', ':');
    assertEquals(id, fetchId("--pull-policy=never", byDigest));
  }

  @Test
  void httpsIsTheDefaultAndMissingImagesAre404() {
    Result r = jrkt.run(Jrkt.INSECURE, "fetch", "docker://" + registry.address()
        + "/team/busy:v1").rejected();
    assertTrue(r.err().contains("--insecure-options=http"), r.toString());
    refused("has no manifest nope in repository team/busy (404 Not Found",
        "docker://" + registry.address() + "/team/busy:nope");
    refused("(404 Not Found", "docker://" + registry.address() + "/team/none:v1");
  }

  @Test
  void basicAuthFromAuthD() throws IOException {
    Path dir = jrkt.work().resolve("auth-registry");
    Files.createDirectories(dir);
    Path htpasswd = dir.resolve("htpasswd");
    Files.writeString(htpasswd, OciImages.tool(List.of("htpasswd", "-Bbn", "jrkt", "s3cret")));
    authRegistry = TestRegistry.start(dir, htpasswd);
    authRegistry.push(layout, "v1", "private/busy:v1", "jrkt:s3cret");
    String ref = "docker://" + authRegistry.address() + "/private/busy:v1";

    refused("needs credentials for manifest v1 (401 Unauthorized)", ref);
    Path good = authConfig("good", "jrkt", "s3cret", authRegistry.address());
    Path bad = authConfig("bad", "jrkt", "wrong", authRegistry.address());
    refused("refused the credentials of user \"jrkt\"", "--local-config=" + bad, ref);
    assertTrue(fetchId("--local-config=" + good, ref).startsWith("sha256-"));
  }

  private Path authConfig(String name, String user, String password, String host) {
    Path dir = jrkt.work().resolve("config-" + name);
    try {
      Files.createDirectories(dir.resolve("auth.d"));
      Files.writeString(dir.resolve("auth.d/registry.json"), "{\"rktKind\":\"dockerAuth\","
          + "\"rktVersion\":\"v1\",\"registries\":[\"" + host + "\"],\"credentials\":"
          + "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Removes stored images whose name contains {@code part} (so that a fetch must transfer). */
  private void removeImages(String part) {
    for (String row : jrkt.run("image", "list", "--full", "--no-legend").ok().lines()) {
      List<String> cells = Ids.cells(row);
      if (cells.get(1).contains(part)) {
        jrkt.run("image", "rm", cells.get(0)).ok();
      }
    }
  }

  @Test
  void serverErrorsAndDroppedConnectionsLeaveTheStoreUnchanged() throws IOException {
    removeImages("team/big");
    try (FaultProxy proxy = new FaultProxy(registry.port())) {
      String ref = "docker://" + proxy.address() + "/team/big:1";
      proxy.blob500 = true;
      refused("answered 500 for blob", ref);

      proxy.blob500 = false;
      proxy.cutBlobAfter = 1 << 20;
      proxy.cutsLeft.set(Integer.MAX_VALUE);
      refused("broke off after", ref);

      // One drop only: the transfer resumes from where it broke off and completes.
      proxy.cutsLeft.set(1);
      String id = fetchId(ref);
      assertEquals(0, proxy.cutsLeft.get(), "the connection was cut once");
      assertEquals(id, fetchId("docker://" + registry.address() + "/team/big:1"));
      jrkt.run("image", "rm", id).ok();
    }
  }

  @Test
  void killedMidFetchLeavesOnlyAWorkspaceThatGcRemoves() throws Exception {
    removeImages("team/big");
    jrkt.run("image", "gc", "--grace-period=24h").ok();
    List<String> before = jrkt.snapshot();
    try (FaultProxy proxy = new FaultProxy(registry.port())) {
      proxy.bytesPerSecond = 4L << 20;
      String ref = "docker://" + proxy.address() + "/team/big:1";
      Jrkt.Running fetch = jrkt.start(List.of(HTTP, "fetch", ref));
      Thread.sleep(1500);
      fetch.kill9();
      assertEquals(before, jrkt.snapshot(), "a killed fetch changed the store");
      Result gc = jrkt.run("image", "gc", "--grace-period=24h").ok();
      try (var tmp = Files.list(jrkt.data().resolve("cas/tmp"))) {
        assertEquals(List.of(), tmp.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("oci-")).toList(), gc.toString());
      }
      proxy.bytesPerSecond = 0;
      assertTrue(fetchId(ref).startsWith("sha256-"));
    }
  }

  @Test
  void registryRestartMidFetch() throws Exception {
    removeImages("team/big");
    try (FaultProxy proxy = new FaultProxy(registry.port())) {
      proxy.bytesPerSecond = 8L << 20;
      Jrkt.Running fetch = jrkt.start(List.of(HTTP, "fetch", "--full",
          "docker://" + proxy.address() + "/team/big:1"));
      Thread.sleep(1500);
      registry.restart();
      Result r = fetch.await(Jrkt.TIMEOUT).ok();
      assertTrue(r.lines().get(0).startsWith("sha256-"), r.toString());
      jrkt.run("image", "verify", r.lines().get(0)).ok();
    }
  }
}
