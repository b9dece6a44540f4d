package io.jrkt.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds layer tars for tests, entries in the order given. */
final class LayerTar {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

  LayerTar() {
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  LayerTar dir(String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    e.setMode(0755);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  LayerTar file(String name, String content) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    // Kept as written, absolute or not: the tests need hostile names.
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setMode(0644);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
    return this;
  }

  /** A file of {@code size} zero bytes. */
  LayerTar zeros(String name, long size) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0644);
    e.setSize(size);
    tar.putArchiveEntry(e);
    byte[] buf = new byte[1 << 16];
    for (long left = size; left > 0; left -= buf.length) {
      tar.write(buf, 0, (int) Math.min(left, buf.length));
    }
    tar.closeArchiveEntry();
    return this;
  }

  LayerTar symlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  LayerTar hardlink(String name, String target) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
    return this;
  }

  byte[] tar() throws IOException {
    tar.finish();
    return bytes.toByteArray();
  }

  byte[] gzip() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(tar());
    }
    return out.toByteArray();
  }
}
