package io.jrkt.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * OCI images for the tests: real ones built with umoci from busybox-static, and hand-made
 * layouts (blobs, manifest, index written here) for the malformed and hostile cases.
 */
final class OciImages {
  private OciImages() {}

  /** Runs a host tool; fails the test with its output unless it exits 0. Returns stdout. */
  static String tool(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n"
            + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * A busybox image in layout {@code layout} under tag {@code tag}: layer 1 holds busybox, its
   * applets, /etc/passwd (root, and app with uid 1000), /etc/group and /etc/motd; then
   * {@code umoci config} with {@code configArgs}.
   */
  static void busybox(Path layout, String tag, Path work, List<String> configArgs) {
    if (!Files.exists(layout.resolve("oci-layout"))) {
      tool(List.of("umoci", "init", "--layout", layout.toString()));
    }
    tool(List.of("umoci", "new", "--image", layout + ":" + tag));
    Path bundle = work.resolve("bundle-" + tag + "-" + System.nanoTime());
    tool(List.of("umoci", "unpack", "--image", layout + ":" + tag, bundle.toString()));
    Path root = bundle.resolve("rootfs");
    try {
      Files.createDirectories(root.resolve("bin"));
      Files.createDirectories(root.resolve("etc"));
      Files.copy(Aci.BUSYBOX, root.resolve("bin/busybox"));
      for (String applet : List.of("sh", "echo", "cat", "ls", "id", "pwd", "true", "test")) {
        Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
      }
      Files.writeString(root.resolve("etc/passwd"),
          "root:x:0:0:root:/:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
      Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1001:\n");
      Files.writeString(root.resolve("etc/motd"), "motd from layer 1\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tool(List.of("umoci", "repack", "--image", layout + ":" + tag, bundle.toString()));
    if (!configArgs.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("umoci", "config", "--image",
          layout + ":" + tag));
      cmd.addAll(configArgs);
      tool(cmd);
    }
    tool(List.of("rm", "-rf", bundle.toString()));
  }

  /** Adds a layer to {@code from} as {@code to}: the edit runs on the unpacked rootfs. */
  static void addLayer(Path layout, String from, String to, Path work, RootfsEdit edit) {
    if (!from.equals(to)) {
      tool(List.of("umoci", "tag", "--image", layout + ":" + from, to));
    }
    Path bundle = work.resolve("bundle-" + to + "-" + System.nanoTime());
    tool(List.of("umoci", "unpack", "--image", layout + ":" + to, bundle.toString()));
    try {
      edit.apply(bundle.resolve("rootfs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    tool(List.of("umoci", "repack", "--image", layout + ":" + to, bundle.toString()));
    tool(List.of("rm", "-rf", bundle.toString()));
  }

  interface RootfsEdit {
    void apply(Path rootfs) throws IOException;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A hand-made OCI layout: blobs are written as given, digests computed here. */
  static final class Layout {
    final Path dir;

    Layout(Path dir) {
      this.dir = dir;
      try {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Writes a blob; returns its descriptor JSON. */
    String blob(String mediaType, byte[] data) {
      String hex = sha256(data);
      try {
        Files.write(dir.resolve("blobs/sha256").resolve(hex), data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return descriptor(mediaType, "sha256:" + hex, data.length);
    }

    static String descriptor(String mediaType, String digest, long size) {
      return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":"
          + size + "}";
    }

    static String config(String arch, String cmdJson) {
      return "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Cmd\":" + cmdJson
          + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
    }

    /** A manifest naming {@code configDescriptor} and the layer descriptors. */
    String manifest(String configDescriptor, List<String> layerDescriptors) {
      String json = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest"
          + ".v1+json\"" + (configDescriptor == null ? "" : ",\"config\":" + configDescriptor)
          + ",\"layers\":[" + String.join(",", layerDescriptors) + "]}";
      return blob("application/vnd.oci.image.manifest.v1+json",
          json.getBytes(StandardCharsets.UTF_8));
    }

    /** index.json naming one descriptor under {@code tag}. */
    void index(String descriptor, String tag) {
      String withTag = descriptor.substring(0, descriptor.length() - 1)
          + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}";
      try {
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
            + withTag + "]}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A whole image: a gzip layer per tar given, a config running {@code cmd}. */
    String image(String tag, String cmdJson, List<byte[]> layerTars) {
      String config = blob("application/vnd.oci.image.config.v1+json",
          config("amd64", cmdJson).getBytes(StandardCharsets.UTF_8));
      List<String> layers = new ArrayList<>();
      for (byte[] t : layerTars) {
        layers.add(blob("application/vnd.oci.image.layer.v1.tar+gzip", gzip(t)));
      }
      String manifest = manifest(config, layers);
      index(manifest, tag);
      return manifest;
    }
  }
}
