package io.jrkt.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test images built at test time around the host's static busybox. Every option maps onto one
 * appc manifest field; the archive is reproducible, so its image ID is known in advance.
 */
final class Aci {
  static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final List<String> APPLETS = List.of("sh", "true", "false", "echo", "cat", "env",
      "sleep", "ls", "test", "printf", "id", "pwd", "uname", "head", "wc", "touch", "mkdir");

  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private List<String> exec = List.of("/bin/true");
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, String> isolators = new LinkedHashMap<>();
  private final List<String> dependencies = new ArrayList<>();
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private boolean withBusybox = true;
  private boolean withApp = true;
  private Compression compression = Compression.GZIP;

  private Aci(String name) {
    this.name = name;
    labels.put("version", "1.0.0");
    labels.put("os", "linux");
    labels.put("arch", hostArch());
  }

  /** An image named {@code name} with busybox in /bin and an app that runs /bin/true. */
  static Aci busybox(String name) {
    return new Aci(name);
  }

  Aci version(String version) {
    return label("version", version);
  }

  Aci label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  Aci withoutLabel(String key) {
    labels.remove(key);
    return this;
  }

  Aci exec(String... argv) {
    exec = List.of(argv);
    return this;
  }

  /** The app runs {@code /bin/sh -c script}. */
  Aci shell(String script) {
    return exec("/bin/sh", "-c", script);
  }

  Aci env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** An app isolator; {@code valueJson} is the isolator's value as JSON text. */
  Aci isolator(String name, String valueJson) {
    isolators.put(name, valueJson);
    return this;
  }

  Aci dependsOn(String imageName) {
    dependencies.add(imageName);
    return this;
  }

  Aci file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  Aci file(String path, byte[] content) {
    files.put(path.startsWith("/") ? path.substring(1) : path, content);
    return this;
  }

  /** An app port: {@code {"name":NAME,"protocol":PROTOCOL,"port":PORT}}. */
  Aci port(String portName, String protocol, int port) {
    ports.add("{\"name\":" + MiniJson.quote(portName) + ",\"protocol\":"
        + MiniJson.quote(protocol) + ",\"port\":" + port + "}");
    return this;
  }

  private final List<String> ports = new ArrayList<>();

  Aci withoutBusybox() {
    withBusybox = false;
    return this;
  }

  Aci withoutApp() {
    withApp = false;
    return this;
  }

  Aci compression(Compression c) {
    compression = c;
    return this;
  }

  String manifestJson() {
    StringBuilder sb = new StringBuilder("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\"");
    sb.append(",\"name\":").append(MiniJson.quote(name)).append(",\"labels\":[");
    String sep = "";
    for (Map.Entry<String, String> l : labels.entrySet()) {
      sb.append(sep).append("{\"name\":").append(MiniJson.quote(l.getKey()))
          .append(",\"value\":").append(MiniJson.quote(l.getValue())).append('}');
      sep = ",";
    }
    sb.append(']');
    if (withApp) {
      sb.append(",\"app\":{\"exec\":[");
      sep = "";
      for (String a : exec) {
        sb.append(sep).append(MiniJson.quote(a));
        sep = ",";
      }
      sb.append("],\"user\":\"0\",\"group\":\"0\"");
      if (!env.isEmpty()) {
        sb.append(",\"environment\":[");
        sep = "";
        for (Map.Entry<String, String> e : env.entrySet()) {
          sb.append(sep).append("{\"name\":").append(MiniJson.quote(e.getKey()))
              .append(",\"value\":").append(MiniJson.quote(e.getValue())).append('}');
          sep = ",";
        }
        sb.append(']');
      }
      if (!ports.isEmpty()) {
        sb.append(",\"ports\":[").append(String.join(",", ports)).append(']');
      }
      if (!isolators.isEmpty()) {
        sb.append(",\"isolators\":[");
        sep = "";
        for (Map.Entry<String, String> i : isolators.entrySet()) {
          sb.append(sep).append("{\"name\":").append(MiniJson.quote(i.getKey()))
              .append(",\"value\":").append(i.getValue()).append('}');
          sep = ",";
        }
        sb.append(']');
      }
      sb.append('}');
    }
    if (!dependencies.isEmpty()) {
      sb.append(",\"dependencies\":[");
      sep = "";
      for (String d : dependencies) {
        sb.append(sep).append("{\"imageName\":").append(MiniJson.quote(d)).append('}');
        sep = ",";
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  /** The uncompressed ACI: {@code manifest} first, then {@code rootfs/}. */
  byte[] tar() {
    TarBuilder tar = new TarBuilder().file("manifest", manifestJson());
    addRootfs(tar);
    return tar.finish();
  }

  /** Adds this image's rootfs entries (for archives that then get hostile entries appended). */
  void addRootfs(TarBuilder tar) {
    tar.directory("rootfs");
    for (String d : List.of("etc", "dev", "proc", "sys")) {
      tar.directory("rootfs/" + d);
    }
    tar.directory("rootfs/tmp", 01777);
    if (withBusybox) {
      tar.directory("rootfs/bin");
      tar.file("rootfs/bin/busybox", busyboxBytes(), 0755);
      for (String applet : APPLETS) {
        tar.symlink("rootfs/bin/" + applet, "busybox");
      }
      tar.file("rootfs/etc/passwd", "root:x:0:0:root:/:/bin/sh\n");
      tar.file("rootfs/etc/group", "root:x:0:\n");
    }
    List<String> made = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String path = f.getKey();
      for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        String dir = path.substring(0, i);
        if (!made.contains(dir) && !List.of("etc", "tmp", "dev", "proc", "sys", "bin")
            .contains(dir)) {
          tar.directory("rootfs/" + dir);
          made.add(dir);
        }
      }
      tar.file("rootfs/" + path, f.getValue(), 0644);
    }
  }

  /** Writes the (compressed) ACI into {@code dir}; returns its path. */
  Path write(Path dir, String fileName) {
    return writeBytes(dir.resolve(fileName), compression.compress(tar()));
  }

  static Path writeBytes(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The store's image ID: {@code sha512-} and the first 64 hex digits of the tar's SHA-512. */
  String imageId() {
    return fullSha512(tar()).substring(0, 7 + 64);
  }

  static String fullSha512(byte[] data) {
    try {
      return "sha512-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
          .digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hostArch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "x86", "i386" -> "i386";
      default -> arch;
    };
  }

  private static byte[] busyboxCache;

  private static synchronized byte[] busyboxBytes() {
    if (busyboxCache == null) {
      try {
        busyboxCache = Files.readAllBytes(BUSYBOX);
      } catch (IOException e) {
        throw new UncheckedIOException("the tests need a static busybox at " + BUSYBOX
            + " (Debian package busybox-static)", e);
      }
    }
    return busyboxCache;
  }
}
