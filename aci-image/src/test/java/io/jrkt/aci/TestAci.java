package io.jrkt.aci;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Builds ACI files for tests: a manifest (generated from name, labels, dependencies and path
 * whitelist, or given raw) and tar entries written with commons-compress exactly as listed, so
 * hostile archives can be made too. Output is deterministic (fixed mtimes).
 */
public final class TestAci {
  public static final Instant MTIME = Instant.parse("2020-01-02T03:04:05Z");

  private final String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<String> dependencies = new ArrayList<>();
  private final List<String> whitelist = new ArrayList<>();
  private final List<Object[]> entries = new ArrayList<>();
  private String rawManifest;
  private boolean manifestFirst = true;
  private boolean withManifest = true;

  private TestAci(String name) {
    this.name = name;
    labels.put("os", "linux");
    labels.put("arch", "amd64");
  }

  /** An image with labels os=linux, arch=amd64 and a rootfs directory entry. */
  public static TestAci image(String name) {
    return new TestAci(name).dir("rootfs", 0755);
  }

  /** An image with no entries at all besides the manifest. */
  public static TestAci bare(String name) {
    return new TestAci(name);
  }

  public TestAci label(String k, String v) {
    labels.put(k, v);
    return this;
  }

  public TestAci withoutLabel(String k) {
    labels.remove(k);
    return this;
  }

  /** A dependency as JSON object text, e.g. {@code "imageName":"x","labels":[...]}. */
  public TestAci dependency(String imageName, Map<String, String> depLabels, String imageId) {
    StringBuilder sb = new StringBuilder("{\"imageName\":\"").append(imageName).append('"');
    if (imageId != null) {
      sb.append(",\"imageID\":\"").append(imageId).append('"');
    }
    if (depLabels != null && !depLabels.isEmpty()) {
      sb.append(",\"labels\":").append(labelsJson(depLabels));
    }
    dependencies.add(sb.append('}').toString());
    return this;
  }

  public TestAci whitelist(String... paths) {
    whitelist.addAll(List.of(paths));
    return this;
  }

  public TestAci rawManifest(String json) {
    this.rawManifest = json;
    return this;
  }

  public TestAci manifestLast() {
    this.manifestFirst = false;
    return this;
  }

  public TestAci noManifest() {
    this.withManifest = false;
    return this;
  }

  public TestAci dir(String path, int mode) {
    return entry(path, TarArchiveEntry.LF_DIR, mode, 0, 0, null, null);
  }

  public TestAci file(String path, String content) {
    return file(path, content, 0644);
  }

  public TestAci file(String path, String content, int mode) {
    return entry(path, TarArchiveEntry.LF_NORMAL, mode, 0, 0, null,
        content.getBytes(StandardCharsets.UTF_8));
  }

  public TestAci file(String path, byte[] content, int mode, int uid, int gid) {
    return entry(path, TarArchiveEntry.LF_NORMAL, mode, uid, gid, null, content);
  }

  public TestAci symlink(String path, String target) {
    return entry(path, TarArchiveEntry.LF_SYMLINK, 0777, 0, 0, target, null);
  }

  public TestAci hardlink(String path, String target) {
    return entry(path, TarArchiveEntry.LF_LINK, 0644, 0, 0, target, null);
  }

  public TestAci charDevice(String path) {
    return entry(path, TarArchiveEntry.LF_CHR, 0666, 0, 0, null, null);
  }

  public TestAci blockDevice(String path) {
    return entry(path, TarArchiveEntry.LF_BLK, 0660, 0, 0, null, null);
  }

  public TestAci fifo(String path) {
    return entry(path, TarArchiveEntry.LF_FIFO, 0644, 0, 0, null, null);
  }

  public TestAci entry(String path, byte type, int mode, int uid, int gid, String link,
      byte[] content) {
    entries.add(new Object[] {path, type, mode, uid, gid, link, content});
    return this;
  }

  public String manifestJson() {
    if (rawManifest != null) {
      return rawManifest;
    }
    StringBuilder sb = new StringBuilder("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",")
        .append("\"name\":\"").append(name).append("\",\"labels\":").append(labelsJson(labels));
    if (!dependencies.isEmpty()) {
      sb.append(",\"dependencies\":[").append(String.join(",", dependencies)).append(']');
    }
    if (!whitelist.isEmpty()) {
      sb.append(",\"pathWhitelist\":[");
      for (int i = 0; i < whitelist.size(); i++) {
        sb.append(i == 0 ? "" : ",").append('"').append(whitelist.get(i)).append('"');
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  private static String labelsJson(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("[");
    labels.forEach((k, v) -> sb.append(sb.length() == 1 ? "" : ",")
        .append("{\"name\":\"").append(k).append("\",\"value\":\"").append(v).append("\"}"));
    return sb.append(']').toString();
  }

  /** The uncompressed tar. */
  public byte[] tar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      if (withManifest && manifestFirst) {
        writeManifest(out);
      }
      for (Object[] e : entries) {
        String path = (String) e[0];
        byte type = (Byte) e[1];
        TarArchiveEntry te = new TarArchiveEntry(path, type, true);
        te.setMode((Integer) e[2]);
        te.setUserId((Integer) e[3]);
        te.setGroupId((Integer) e[4]);
        te.setLastModifiedTime(FileTime.from(MTIME));
        if (e[5] != null) {
          te.setLinkName((String) e[5]);
        }
        byte[] content = (byte[]) e[6];
        if (content != null) {
          te.setSize(content.length);
        }
        out.putArchiveEntry(te);
        if (content != null) {
          out.write(content);
        }
        out.closeArchiveEntry();
      }
      if (withManifest && !manifestFirst) {
        writeManifest(out);
      }
    }
    return bytes.toByteArray();
  }

  private void writeManifest(TarArchiveOutputStream out) throws IOException {
    byte[] m = manifestJson().getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry te = new TarArchiveEntry("manifest");
    te.setSize(m.length);
    te.setMode(0644);
    te.setLastModifiedTime(FileTime.from(MTIME));
    out.putArchiveEntry(te);
    out.write(m);
    out.closeArchiveEntry();
  }

  /** Writes the image to {@code file}, compressed with {@code c}. */
  public Path write(Path file, Compression c) throws IOException {
    Files.write(file, compress(tar(), c));
    return file;
  }

  public static byte[] compress(byte[] data, Compression c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = wrap(bytes, c)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private static OutputStream wrap(OutputStream out, Compression c) throws IOException {
    switch (c) {
      case NONE:
        return out;
      case GZIP:
        return new GZIPOutputStream(out);
      case BZIP2:
        return new BZip2CompressorOutputStream(out);
      case XZ:
        return new XZOutputStream(out, new LZMA2Options());
      case ZSTD:
        return new ZstdOutputStream(out);
      default:
        throw new AssertionError(c);
    }
  }

  /** The image id an ACI with this tar must get: sha512- and the first 64 hex digits. */
  public static String expectedId(byte[] tar) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-512").digest(tar);
    StringBuilder sb = new StringBuilder("sha512-");
    for (int i = 0; i < 32; i++) {
      sb.append(String.format("%02x", d[i] & 0xff));
    }
    return sb.toString();
  }

  public static boolean isRoot() throws IOException {
    Path p = Files.createTempFile("rootcheck", "");
    try {
      return ((Integer) Files.getAttribute(p, "unix:uid")) == 0;
    } finally {
      Files.delete(p);
    }
  }
}
