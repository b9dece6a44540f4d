package io.jrkt.cli.image;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An ACI built in the test: a reproducible tar of {@code manifest} and {@code rootfs/}, so its id
 * (SHA-512 of the tar) is known before the store sees it.
 */
final class TestAci {
  private static final long MTIME_MILLIS = 1_600_000_000_000L;

  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<String> dependencies = new ArrayList<>();
  /** Rootfs entries by path ("etc/x"); a value of null is a directory. */
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, String> symlinks = new LinkedHashMap<>();
  private final List<String[]> rawEntries = new ArrayList<>();
  private byte[] tar;

  private TestAci(String name) {
    this.name = name;
    labels.put("os", "linux");
    labels.put("arch", "amd64");
  }

  static TestAci named(String name) {
    return new TestAci(name);
  }

  TestAci label(String key, String value) {
    labels.put(key, value);
    tar = null;
    return this;
  }

  TestAci version(String version) {
    return label("version", version);
  }

  TestAci file(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
    tar = null;
    return this;
  }

  TestAci symlink(String path, String target) {
    symlinks.put(path, target);
    tar = null;
    return this;
  }

  TestAci dependsOn(String imageName) {
    dependencies.add(imageName);
    tar = null;
    return this;
  }

  /** An extra raw tar entry (path as written into the archive, content), e.g. a hostile one. */
  TestAci rawEntry(String path, String content) {
    rawEntries.add(new String[] {path, content});
    tar = null;
    return this;
  }

  String manifestJson() {
    StringBuilder sb = new StringBuilder("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"").append(name).append("\",\"labels\":[");
    boolean first = true;
    for (Map.Entry<String, String> l : labels.entrySet()) {
      sb.append(first ? "" : ",").append("{\"name\":\"").append(l.getKey())
          .append("\",\"value\":\"").append(l.getValue()).append("\"}");
      first = false;
    }
    sb.append("]");
    if (!dependencies.isEmpty()) {
      sb.append(",\"dependencies\":[");
      for (int i = 0; i < dependencies.size(); i++) {
        sb.append(i == 0 ? "" : ",").append("{\"imageName\":\"").append(dependencies.get(i))
            .append("\"}");
      }
      sb.append("]");
    }
    return sb.append("}").toString();
  }

  /** The uncompressed ACI. */
  byte[] tar() {
    if (tar == null) {
      tar = buildTar();
    }
    return tar.clone();
  }

  /** {@code sha512-} and the first 64 hex digits of the tar's SHA-512: the store's key. */
  String imageId() {
    return "sha512-" + sha512Hex(tar()).substring(0, 64);
  }

  String shortId() {
    return imageId().substring(0, "sha512-".length() + 32);
  }

  Path write(Path dir, String fileName) {
    return writeBytes(dir.resolve(fileName), tar());
  }

  Path writeGzip(Path dir, String fileName) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(tar());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writeBytes(dir.resolve(fileName), bytes.toByteArray());
  }

  static Path writeBytes(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static String sha512Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private byte[] buildTar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      addFile(out, "manifest", manifestJson().getBytes(StandardCharsets.UTF_8), 0644);
      addDir(out, "rootfs/");
      List<String> dirsDone = new ArrayList<>();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        addParents(out, f.getKey(), dirsDone);
        addFile(out, "rootfs/" + f.getKey(), f.getValue(), 0644);
      }
      for (Map.Entry<String, String> l : symlinks.entrySet()) {
        addParents(out, l.getKey(), dirsDone);
        TarArchiveEntry e = new TarArchiveEntry("rootfs/" + l.getKey(),
            TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(l.getValue());
        e.setModTime(MTIME_MILLIS);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
      }
      for (String[] raw : rawEntries) {
        addFile(out, raw[0], raw[1].getBytes(StandardCharsets.UTF_8), 0644);
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void addParents(TarArchiveOutputStream out, String path, List<String> done)
      throws IOException {
    int slash = path.indexOf('/');
    while (slash > 0) {
      String dir = path.substring(0, slash + 1);
      if (!done.contains(dir)) {
        addDir(out, "rootfs/" + dir);
        done.add(dir);
      }
      slash = path.indexOf('/', slash + 1);
    }
  }

  private static void addDir(TarArchiveOutputStream out, String path) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(path);
    e.setMode(040755);
    e.setModTime(MTIME_MILLIS);
    out.putArchiveEntry(e);
    out.closeArchiveEntry();
  }

  private static void addFile(TarArchiveOutputStream out, String path, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(path);
    e.setMode(0100000 | mode);
    e.setSize(content.length);
    e.setModTime(MTIME_MILLIS);
    out.putArchiveEntry(e);
    out.write(content);
    out.closeArchiveEntry();
  }
}
