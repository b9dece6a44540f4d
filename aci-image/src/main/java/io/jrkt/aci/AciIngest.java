package io.jrkt.aci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Reads an ACI file exactly once and, from that one pass, produces everything an import needs:
 * the SHA-512 of the uncompressed tar (the image id), a copy of the uncompressed tar (the blob)
 * and the extracted tree with its manifest.
 *
 * <p>Two threads share the work through a bounded {@link ChunkPipe}: the calling thread reads,
 * decompresses, hashes and writes the copy; an extraction thread parses the tar and writes the
 * tree. Extraction is dominated by file creation in the kernel and decompression by user CPU, so
 * on two cores they overlap almost completely.
 */
public final class AciIngest {
  private static final int CHUNK_SIZE = 256 * 1024;
  private static final int CHUNKS = 16;

  /**
   * @param sha512 the 64-byte digest of the uncompressed tar
   * @param tarSize its length
   * @param manifest the manifest entry's bytes
   */
  public record Result(byte[] sha512, long tarSize, Compression compression, byte[] manifest) {}

  private AciIngest() {}

  /**
   * Ingests {@code file}.
   *
   * @param image how the image is named in messages (usually the path as the user gave it)
   * @param tarCopy receives the uncompressed tar
   * @param builder receives the rootfs entries
   * @param listener told about the manifest as soon as the stream reaches it; may throw to stop
   * @throws ImageException when the file is not a usable ACI
   * @throws IOException when writing the copy or the tree fails
   */
  public static Result ingest(Path file, String image, WritableByteChannel tarCopy,
      TreeBuilder builder, AciLayerReader.ManifestListener listener)
      throws ImageException, IOException {
    return ingest(file, image, tarCopy, builder, listener, null);
  }

  /**
   * As {@link #ingest(Path, String, WritableByteChannel, TreeBuilder,
   * AciLayerReader.ManifestListener)}; {@code copyComplete} (if not null) runs on the reading
   * thread once the whole copy is written, while extraction may still be going on, e.g. to start
   * flushing the copy to disk early.
   */
  public static Result ingest(Path file, String image, WritableByteChannel tarCopy,
      TreeBuilder builder, AciLayerReader.ManifestListener listener, Runnable copyComplete)
      throws ImageException, IOException {
    ChunkPipe pipe = new ChunkPipe(CHUNK_SIZE, CHUNKS);
    Extraction extraction = new Extraction(pipe, image, builder, listener);
    Thread thread = new Thread(extraction, "aci-extract");
    thread.setDaemon(true);

    MessageDigest sha512 = TreeHash.sha512();
    long total = 0;
    Compression compression = null;
    IOException readFailure = null;
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (IOException e) {
      throw cannotRead(image, e);
    }
    thread.start();
    try (InputStream source = new SourceStream(raw)) {
      byte[] head = new byte[Compression.MAGIC_LENGTH];
      int headLength = readFully(source, head, head.length);
      compression = Compression.detect(head, headLength);
      InputStream tar = compression.decompress(new SequenceInputStream(
          new ByteArrayInputStream(head, 0, headLength), source));
      while (!extraction.failed) {
        byte[] buf = pipe.takeFree();
        int n = readFully(tar, buf, buf.length);
        if (n > 0) {
          // Hand over first: the extractor only reads the buffer, and gets a head start.
          pipe.send(buf, n);
          sha512.update(buf, 0, n);
          writeCopy(tarCopy, buf, n);
          total += n;
        } else {
          pipe.recycle(buf);
        }
        if (n < buf.length) {
          break;
        }
      }
    } catch (IOException e) {
      readFailure = e;
    } finally {
      pipe.finish(readFailure);
    }
    if (readFailure == null && !extraction.failed && copyComplete != null) {
      copyComplete.run();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while extracting " + image);
    }

    if (readFailure instanceof CopyFailure) {
      throw (IOException) readFailure.getCause();
    }
    if (readFailure != null) {
      throw readError(image, compression, readFailure);
    }
    if (extraction.failure instanceof ImageException) {
      throw (ImageException) extraction.failure;
    }
    if (extraction.failure instanceof IOException) {
      throw (IOException) extraction.failure;
    }
    if (extraction.failure instanceof RuntimeException) {
      throw (RuntimeException) extraction.failure;
    }
    if (extraction.failure instanceof Error) {
      throw (Error) extraction.failure;
    }
    if (extraction.manifest == null) {
      throw new InvalidManifestException(image, "the archive has no manifest", null);
    }
    return new Result(sha512.digest(), total, compression, extraction.manifest);
  }

  private static ImageException readError(String image, Compression c, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SourceFailure) {
        return cannotRead(image, (IOException) t.getCause());
      }
    }
    String what = c == null || c == Compression.NONE ? "data" : c.label() + " data";
    return new CorruptArchiveException(image, null,
        what + " is corrupt or truncated (" + e.getMessage() + ")", e);
  }

  private static ImageException cannotRead(String image, IOException e) {
    String why;
    if (e instanceof NoSuchFileException) {
      why = "no such file";
    } else if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else {
      why = e.getMessage();
    }
    return new ImageException(image, null, "cannot read: " + why, e);
  }

  private static int readFully(InputStream in, byte[] buf, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(buf, n, len - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  private static void writeCopy(WritableByteChannel out, byte[] buf, int n) throws CopyFailure {
    try {
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
      while (bb.hasRemaining()) {
        out.write(bb);
      }
    } catch (IOException e) {
      throw new CopyFailure(e);
    }
  }

  /** The extraction thread's work and outcome. */
  private static final class Extraction implements Runnable {
    private final ChunkPipe pipe;
    private final String image;
    private final TreeBuilder builder;
    private final AciLayerReader.ManifestListener listener;
    volatile boolean failed;
    volatile Throwable failure;
    volatile byte[] manifest;

    Extraction(ChunkPipe pipe, String image, TreeBuilder builder,
        AciLayerReader.ManifestListener listener) {
      this.pipe = pipe;
      this.image = image;
      this.builder = builder;
      this.listener = listener;
    }

    @Override
    public void run() {
      try (InputStream in = pipe.input()) {
        manifest = AciLayerReader.read(in, image, builder, listener == null ? m -> { } : listener);
      } catch (Throwable t) {
        failure = t;
        failed = true;
      }
    }
  }

  /** Reading the file itself failed (as opposed to the data in it being bad). */
  private static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SourceFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Writing the tar copy failed: a problem of the destination, not of the image. */
  private static final class CopyFailure extends IOException {
    private static final long serialVersionUID = 1L;

    CopyFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static final class SourceStream extends FilterInputStream {
    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }
  }
}
