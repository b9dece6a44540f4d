package io.jrkt.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/** How an ACI's tar is compressed; bzip2, xz and zstd use the host's tools. */
enum Compression {
  NONE(null),
  GZIP(null),
  BZIP2(List.of("bzip2", "-c")),
  XZ(List.of("xz", "-c", "-T1")),
  ZSTD(List.of("zstd", "-q", "-c"));

  private final List<String> tool;

  Compression(List<String> tool) {
    this.tool = tool;
  }

  byte[] compress(byte[] tar) {
    try {
      if (this == NONE) {
        return tar;
      }
      if (this == GZIP) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(buf)) {
          gz.write(tar);
        }
        return buf.toByteArray();
      }
      return filter(tar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] filter(byte[] input) throws IOException {
    Process p = new ProcessBuilder(tool).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Thread feeder = new Thread(() -> {
      try (OutputStream in = p.getOutputStream()) {
        in.write(input);
      } catch (IOException e) {
        // The tool died; its exit status reports it below.
      }
    });
    feeder.start();
    byte[] result;
    try (InputStream out = p.getInputStream()) {
      result = out.readAllBytes();
    }
    try {
      feeder.join();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(tool.get(0) + " failed compressing a test image");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while compressing", e);
    }
    return result;
  }
}
