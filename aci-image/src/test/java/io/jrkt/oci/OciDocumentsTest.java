package io.jrkt.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OciDocumentsTest {
  private static final String D1 = "sha256:" + "a".repeat(64);
  private static final String D2 = "sha256:" + "b".repeat(64);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void digests() throws Exception {
    assertEquals("sha256-" + "a".repeat(64), Digest.parse(D1).key());
    assertThrows(OciFormatException.class, () -> Digest.parse("sha512:" + "a".repeat(128)));
    assertThrows(OciFormatException.class, () -> Digest.parse("sha256:abc"));
    assertThrows(OciFormatException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
  }

  @Test
  void manifests() throws Exception {
    String cfg = "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + D1 + "\",\"size\":10}";
    OciManifest m = OciManifest.parse(b("{\"schemaVersion\":2,\"config\":" + cfg
        + ",\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
        + "\"digest\":\"" + D2 + "\",\"size\":5}]}"), null);
    assertEquals(1, m.layers().size());
    assertEquals(15, m.contentSize());
    OciFormatException e = assertThrows(OciFormatException.class,
        () -> OciManifest.parse(b("{\"schemaVersion\":2,\"layers\":[]}"), null));
    assertEquals("the manifest has no config", e.getMessage());
    e = assertThrows(OciFormatException.class, () -> OciManifest.parse(b(
        "{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":[{\"mediaType\":\"text/plain\","
        + "\"digest\":\"" + D2 + "\",\"size\":5}]}"), null));
    assertTrue(e.getMessage().contains("unknown layer media type \"text/plain\""));
    e = assertThrows(OciFormatException.class, () -> OciManifest.parse(b(
        "{\"schemaVersion\":2,\"config\":" + cfg + "}"), "application/x-unknown"));
    assertTrue(e.getMessage().contains("unknown manifest media type"));
  }

  @Test
  void indexesPickLinuxAmd64() throws Exception {
    String entry = "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"%s\","
        + "\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"%s\"}}";
    OciIndex i = OciIndex.parse(b("{\"schemaVersion\":2,\"manifests\":["
        + String.format(entry, D1, "arm64") + "," + String.format(entry, D2, "amd64") + "]}"),
        null);
    assertEquals(D2, i.select("linux", "amd64").digest().toString());
    OciIndex armOnly = OciIndex.parse(b("{\"schemaVersion\":2,\"manifests\":["
        + String.format(entry, D1, "arm64") + "]}"), null);
    OciFormatException e = assertThrows(OciFormatException.class,
        () -> armOnly.select("linux", "amd64"));
    assertEquals("the image index has no manifest for linux/amd64 (it has: linux/arm64)",
        e.getMessage());
  }
}
