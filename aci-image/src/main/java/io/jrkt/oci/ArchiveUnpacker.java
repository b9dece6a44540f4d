package io.jrkt.oci;

import io.jrkt.aci.Compression;
import io.jrkt.aci.CorruptArchiveException;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.UnsafeEntryException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks the files of an image archive (oci-archive, docker-archive) into a scratch directory in
 * one pass, hashing each file as it is written, so blobs are verified without being read again.
 * Only regular files and symbolic links between entries (docker save links repeated layers) are
 * kept; names are checked like ACI entries, and nothing is ever written through a link.
 */
final class ArchiveUnpacker {
  private static final int BUFFER = 256 * 1024;

  /** One unpacked file. */
  record Entry(Path file, Digest digest, long size) {}

  private final Map<String, Entry> files = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();

  private ArchiveUnpacker() {}

  static ArchiveUnpacker unpack(Path archive, String image, Path into)
      throws ImageException, IOException {
    ArchiveUnpacker u = new ArchiveUnpacker();
    InputStream raw;
    try {
      raw = Files.newInputStream(archive);
    } catch (NoSuchFileException e) {
      throw new OciImageException(image, "cannot read: no such file");
    } catch (IOException e) {
      throw new OciImageException(image, "cannot read: " + e.getMessage(), e);
    }
    try (BufferedInputStream in = new BufferedInputStream(raw, BUFFER)) {
      in.mark(Compression.MAGIC_LENGTH);
      byte[] head = new byte[Compression.MAGIC_LENGTH];
      int n = in.readNBytes(head, 0, head.length);
      in.reset();
      TarArchiveInputStream tin = new TarArchiveInputStream(
          Compression.detect(head, n).decompress(in), "UTF-8");
      byte[] buffer = new byte[BUFFER];
      int count = 0;
      while (true) {
        TarArchiveEntry e;
        try {
          e = tin.getNextEntry();
        } catch (IOException ex) {
          throw new CorruptArchiveException(image, null, (count == 0 ? "not a tar archive ("
              : "corrupt tar data (") + ex.getMessage() + ")", ex);
        }
        if (e == null) {
          break;
        }
        count++;
        u.entry(e, tin, image, into, buffer, count);
      }
      if (count == 0) {
        throw new CorruptArchiveException(image, null, "not a tar archive (no entries found)",
            null);
      }
    }
    return u;
  }

  private void entry(TarArchiveEntry e, InputStream data, String image, Path into,
      byte[] buffer, int index) throws ImageException, IOException {
    String name = canonical(image, e.getName());
    if (name == null || e.isDirectory()) {
      return;
    }
    if (e.isSymbolicLink()) {
      String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
      String target = e.getLinkName().startsWith("/") ? null
          : canonicalOrNull(parent + e.getLinkName());
      if (target == null) {
        throw new UnsafeEntryException(image, e.getName(), "symbolic link target \""
            + e.getLinkName() + "\" leaves the archive");
      }
      links.put(name, target);
      return;
    }
    if (!e.isFile()) {
      return;
    }
    // Files are stored under numbers: the archive's names never become paths on disk.
    Path dest = into.resolve(Integer.toString(index));
    MessageDigest sha256 = Digest.sha256();
    long size = 0;
    try (FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while (true) {
        try {
          n = data.read(buffer);
        } catch (IOException ex) {
          throw new CorruptArchiveException(image, e.getName(), "truncated or corrupt data: "
              + ex.getMessage(), ex);
        }
        if (n < 0) {
          break;
        }
        sha256.update(buffer, 0, n);
        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        size += n;
      }
    }
    files.put(name, new Entry(dest, Digest.of(sha256.digest()), size));
  }

  private static String canonical(String image, String name) throws UnsafeEntryException {
    String c = canonicalOrNull(name);
    if (c == null && !name.replace("/", "").replace(".", "").isEmpty()) {
      throw new UnsafeEntryException(image, name, name.startsWith("/") ? "absolute path"
          : "path contains a \"..\" component");
    }
    return c;
  }

  /** {@code a/./b//c} as {@code a/b/c}; {@code ..} resolved, null when it leaves the top. */
  static String canonicalOrNull(String name) {
    if (name.startsWith("/")) {
      return null;
    }
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(c);
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  /** The file named {@code name} (links followed, a few levels deep), or null. */
  Entry get(String name) {
    String n = canonicalOrNull(name);
    for (int i = 0; n != null && i < 8; i++) {
      Entry e = files.get(n);
      if (e != null) {
        return e;
      }
      n = links.get(n);
    }
    return null;
  }
}
