package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile OCI images: each fetch fails with exit 254 and one line naming the
 * problem, and the store is exactly as before (nothing half-written, nothing outside touched).
 */
class OciBadInputTest extends FunctionalTest {
  private static final String CMD = "[\"/bin/true\"]";
  private final AtomicInteger n = new AtomicInteger();

  private OciImages.Layout layout() {
    return new OciImages.Layout(jrkt.work().resolve("bad-" + n.incrementAndGet()));
  }

  private static byte[] tar(TarBuilder t) {
    return t.finish();
  }

  /** Fetches, expects a one-line refusal containing {@code expected}, and an unchanged store. */
  private Result refused(Path dir, String ref, String expected, String... flags) {
    jrkt.run("image", "list").ok();
    List<String> before = jrkt.snapshot();
    List<String> cmd = new java.util.ArrayList<>(List.of(Jrkt.INSECURE, "fetch"));
    cmd.addAll(List.of(flags));
    cmd.add("oci:" + dir + ":" + ref);
    Result r = jrkt.run(cmd).rejected();
    assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in:\n" + r);
    assertEquals(before, jrkt.snapshot(), "the store changed:\n" + r);
    assertEquals(List.of(), tmpEntries(), "work left in cas/tmp");
    return r;
  }

  private List<String> tmpEntries() {
    Path tmp = jrkt.data().resolve("cas/tmp");
    if (!Files.isDirectory(tmp)) {
      return List.of();
    }
    try (var s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aGoodHandMadeImageIsAccepted() {
    OciImages.Layout l = layout();
    l.image("ok", CMD, List.of(tar(new TarBuilder().directory("bin")
        .file("bin/true", "#!/bin/sh\n"))));
    Result r = jrkt.run(Jrkt.INSECURE, "fetch", "oci:" + l.dir + ":ok").ok();
    assertTrue(r.lines().get(0).startsWith("sha256-"), r.toString());
  }

  @Test
  void layerWhoseDigestDoesNotMatch() {
    OciImages.Layout l = layout();
    String manifest = l.image("bad", CMD, List.of(tar(new TarBuilder().file("a", "x"))));
    // Replace the layer blob's content, keeping its name and size.
    Path layer = onlyLayer(l, manifest);
    byte[] data = read(layer);
    data[data.length - 1] ^= 1;
    write(layer, data);
    refused(l.dir, "bad", "does not match its digest");
  }

  @Test
  void truncatedLayer() {
    OciImages.Layout l = layout();
    String manifest = l.image("trunc", CMD, List.of(tar(new TarBuilder().file("a", "x"))));
    Path layer = onlyLayer(l, manifest);
    byte[] data = read(layer);
    write(layer, java.util.Arrays.copyOf(data, data.length / 2));
    refused(l.dir, "trunc", "is truncated");
  }

  @Test
  void manifestWithoutConfig() {
    OciImages.Layout l = layout();
    String layer = l.blob("application/vnd.oci.image.layer.v1.tar+gzip",
        OciImages.gzip(tar(new TarBuilder().file("a", "x"))));
    l.index(l.manifest(null, List.of(layer)), "noconfig");
    refused(l.dir, "noconfig", "the manifest has no config");
  }

  @Test
  void unknownMediaType() {
    OciImages.Layout l = layout();
    String config = l.blob("application/vnd.oci.image.config.v1+json",
        OciImages.Layout.config("amd64", CMD).getBytes(StandardCharsets.UTF_8));
    String layer = l.blob("application/x-squashfs", tar(new TarBuilder().file("a", "x")));
    l.index(l.manifest(config, List.of(layer)), "odd");
    refused(l.dir, "odd", "unknown layer media type \"application/x-squashfs\"");
  }

  @Test
  void indexWithoutLinuxAmd64() {
    OciImages.Layout l = layout();
    String config = l.blob("application/vnd.oci.image.config.v1+json",
        OciImages.Layout.config("arm64", CMD).getBytes(StandardCharsets.UTF_8));
    String manifest = l.manifest(config, List.of());
    String entry = manifest.substring(0, manifest.length() - 1)
        + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}";
    String index = l.blob("application/vnd.oci.image.index.v1+json",
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[" + entry + "]}").getBytes(StandardCharsets.UTF_8));
    l.index(index, "arm");
    refused(l.dir, "arm", "has no manifest for linux/amd64 (it has: linux/arm64)");
  }

  @Test
  void hostileLayers() {
    Path victim = jrkt.work().resolve("victim");
    write(victim, "keep me".getBytes(StandardCharsets.UTF_8));
    String cases[][] = {
        {"dotdot", "entry \"../../escape\": path escapes the rootfs"},
        {"hardlink", "is outside the rootfs"},
        {"abslink-through", "extraction would follow the symbolic link"},
        {"whiteout-through", "whiteout would follow the symbolic link"},
        {"whiteout-up", "path escapes the rootfs"},
    };
    TarBuilder[] layers = {
        new TarBuilder().file("../../escape", "x"),
        new TarBuilder().hardLink("h", victim.toString()),
        new TarBuilder().symlink("out", victim.getParent().toString()).file("out/victim", "x"),
        new TarBuilder().symlink("out", victim.getParent().toString()).file("out/.wh.victim", ""),
        new TarBuilder().file("a/../../.wh.victim", ""),
    };
    for (int i = 0; i < cases.length; i++) {
      OciImages.Layout l = layout();
      l.image(cases[i][0], CMD, List.of(tar(layers[i])));
      refused(l.dir, cases[i][0], cases[i][1]);
      assertEquals("keep me", Jrkt.read(victim), cases[i][0]);
    }
  }

  @Test
  void zipBombStopsAtTheSizeLimit() {
    OciImages.Layout l = layout();
    byte[] zeros = new byte[64 << 20];
    l.image("bomb", CMD, List.of(tar(new TarBuilder().file("big", zeros, 0644))));
    long start = System.nanoTime();
    refused(l.dir, "bomb", "expands beyond the size limit of 16 MiB",
        "--max-image-size=16MiB");
    assertTrue(System.nanoTime() - start < 30_000_000_000L);
    refused(l.dir, "bomb", "free disk space", "--disk-reserve=1000000GiB");
  }

  @Test
  void registryReferencesAreCheckedBeforeAnything() {
    Result r = jrkt.run(Jrkt.INSECURE, "fetch", "docker://127.0.0.1:1/UPPER:case").rejected();
    assertTrue(r.err().contains("invalid repository name"), r.toString());
    r = jrkt.run("fetch", "docker://127.0.0.1:1/x:y").rejected();
    assertTrue(r.err().contains("--insecure-options=image"), r.toString());
    assertFalse(r.err().contains("Exception"), r.toString());
  }

  private static Path onlyLayer(OciImages.Layout l, String manifestDescriptor) {
    String digest = manifestDescriptor.replaceAll(".*\"sha256:([0-9a-f]{64})\".*", "$1");
    String manifest = Jrkt.read(l.dir.resolve("blobs/sha256").resolve(digest));
    String layer = manifest.replaceAll(".*\"layers\":\\[.*?\"sha256:([0-9a-f]{64})\".*", "$1");
    return l.dir.resolve("blobs/sha256").resolve(layer);
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, byte[] data) {
    try {
      Files.write(p, data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
