package io.jrkt.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jrkt.oci.Descriptor;
import io.jrkt.oci.Digest;
import io.jrkt.oci.FetchProgress;
import io.jrkt.oci.FetchedManifest;
import io.jrkt.oci.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against an in-process HTTP server that implements the Bearer token flow
 * (docker-registry needs a signed-token service for it): a 401 with a challenge, a token from
 * the realm for basic credentials, then the request again with the token.
 */
class RegistrySourceTest {
  @TempDir Path tmp;
  private HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final AtomicInteger blobGets = new AtomicInteger();
  private volatile int cutBlobsAt = -1;
  private volatile boolean honourRange = true;
  private volatile String lastRange;
  private byte[] manifest;
  private Digest manifestDigest;
  private Descriptor layer;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::registry);
    server.start();
    byte[] layerBytes = new byte[300_000];
    new Random(1).nextBytes(layerBytes);
    Digest ld = Digest.ofBytes(layerBytes);
    blobs.put(ld.toString(), layerBytes);
    layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, ld, layerBytes.length, null, null);
    byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
    Digest cd = Digest.ofBytes(config);
    blobs.put(cd.toString(), config);
    manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + cd
        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\""
        + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + ld + "\",\"size\":"
        + layerBytes.length + "}]}").getBytes(StandardCharsets.UTF_8);
    manifestDigest = Digest.ofBytes(manifest);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void token(HttpExchange ex) throws IOException {
    tokenRequests.incrementAndGet();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String query = ex.getRequestURI().getQuery();
    if (!new Credentials("u", "p").basicHeader().equals(auth)
        || !ex.getRequestURI().getRawQuery().contains("scope=repository%3Ateam%2Fapp%3Apull")
        || !query.contains("service=test")) {
      send(ex, 401, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
      return;
    }
    send(ex, 200, "{\"token\":\"T0K\"}".getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private void registry(HttpExchange ex) throws IOException {
    if (!"Bearer T0K".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      send(ex, 401, "{}".getBytes(StandardCharsets.UTF_8), Map.of("WWW-Authenticate",
          "Bearer realm=\"http://" + host() + "/token\",service=\"test\","
          + "scope=\"repository:team/app:pull\""));
      return;
    }
    String path = ex.getRequestURI().getPath();
    if (path.equals("/v2/team/app/manifests/v1")) {
      send(ex, 200, manifest, Map.of("Content-Type", MediaTypes.OCI_MANIFEST,
          "Docker-Content-Digest", manifestDigest.toString()));
      return;
    }
    String prefix = "/v2/team/app/blobs/";
    if (path.startsWith(prefix) && blobs.containsKey(path.substring(prefix.length()))) {
      blobGets.incrementAndGet();
      byte[] data = blobs.get(path.substring(prefix.length()));
      String range = ex.getRequestHeaders().getFirst("Range");
      lastRange = range;
      int from = 0;
      if (range != null && honourRange) {
        from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
      }
      int cut = cutBlobsAt;
      if (cut >= 0 && data.length > 1000) {
        cutBlobsAt = -1;
        ex.sendResponseHeaders(200, data.length);
        ex.getResponseBody().write(data, 0, cut);
        ex.getResponseBody().flush();
        ex.close();
        return;
      }
      byte[] part = java.util.Arrays.copyOfRange(data, from, data.length);
      ex.getResponseHeaders().put("Content-Range", List.of("bytes " + from + "-"
          + (data.length - 1) + "/" + data.length));
      send(ex, from > 0 ? 206 : 200, part, Map.of());
      return;
    }
    send(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"unknown\"}]}"
        .getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private static void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().put(k, List.of(v)));
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private RegistrySource source(String ref, Credentials creds) throws Exception {
    return new RegistrySource("docker://" + host() + "/" + ref,
        DockerReference.parse(host() + "/" + ref), true, creds,
        List.of(Duration.ofMillis(10), Duration.ofMillis(10)));
  }

  @Test
  void bearerTokenFlowThenManifestAndBlobs() throws Exception {
    RegistrySource s = source("team/app:v1", new Credentials("u", "p"));
    FetchedManifest m = s.manifest();
    assertEquals(manifestDigest, m.digest());
    assertEquals(1, tokenRequests.get(), "one token, reused");
    Path dest = tmp.resolve("layer");
    s.fetchBlob(layer, dest, FetchProgress.NONE);
    assertArrayEquals(blobs.get(layer.digest().toString()), Files.readAllBytes(dest));
    assertEquals(1, tokenRequests.get());
  }

  @Test
  void aTokenRefusedIsA401() throws Exception {
    RegistryException e = assertThrows(RegistryException.class,
        () -> source("team/app:v1", new Credentials("u", "wrong")).manifest());
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("refused a token"), e.getMessage());
  }

  @Test
  void missingTagsAre404WithTheRegistrysCode() throws Exception {
    RegistryException e = assertThrows(RegistryException.class,
        () -> source("team/app:v9", new Credentials("u", "p")).manifest());
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("MANIFEST_UNKNOWN"), e.getMessage());
  }

  @Test
  void aDroppedBlobResumesWithRange() throws Exception {
    RegistrySource s = source("team/app:v1", new Credentials("u", "p"));
    s.manifest();
    cutBlobsAt = 100_000;
    Path dest = tmp.resolve("layer");
    s.fetchBlob(layer, dest, FetchProgress.NONE);
    assertEquals("bytes=100000-", lastRange);
    assertArrayEquals(blobs.get(layer.digest().toString()), Files.readAllBytes(dest));
  }

  @Test
  void withoutRangeSupportItStartsOver() throws Exception {
    RegistrySource s = source("team/app:v1", new Credentials("u", "p"));
    s.manifest();
    honourRange = false;
    cutBlobsAt = 100_000;
    Path dest = tmp.resolve("layer");
    s.fetchBlob(layer, dest, FetchProgress.NONE);
    assertEquals(2, blobGets.get());
    assertArrayEquals(blobs.get(layer.digest().toString()), Files.readAllBytes(dest));
  }
}
