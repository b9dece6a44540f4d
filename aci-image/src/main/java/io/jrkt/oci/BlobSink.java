package io.jrkt.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Writes one blob to a file while hashing it, so that the content is read once and checked
 * against its descriptor as it streams: it never grows beyond the declared size, and a finished
 * blob has exactly the declared size and digest. A transfer that broke off can go on from
 * {@link #written()} (the hash state is kept) or start over with {@link #restart()}.
 */
public final class BlobSink implements AutoCloseable {
  private static final int BUFFER = 256 * 1024;

  private final Descriptor descriptor;
  private final String what;
  private final FileChannel out;
  private final FetchProgress.Blob progress;
  private MessageDigest sha256 = Digest.sha256();
  private long written;
  private final byte[] buffer = new byte[BUFFER];

  public BlobSink(Descriptor descriptor, String what, Path dest, FetchProgress.Blob progress)
      throws IOException {
    this.descriptor = descriptor;
    this.what = what;
    this.out = FileChannel.open(dest, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    this.progress = progress;
  }

  /** Bytes written so far. */
  public long written() {
    return written;
  }

  /** Drops what was written (the source will send the blob from its start). */
  public void restart() throws IOException {
    out.truncate(0);
    out.position(0);
    sha256 = Digest.sha256();
    progress.advance(-written);
    written = 0;
  }

  /**
   * Copies {@code in} to its end. Read errors propagate as they are (the caller may resume);
   * content beyond the declared size is refused at once.
   */
  public void copy(InputStream in) throws IOException, OciImageException {
    int n;
    while ((n = in.read(buffer)) > 0) {
      if (written + n > descriptor.size()) {
        throw new OciImageException(what, "blob " + descriptor.digest()
            + " is larger than the " + descriptor.size() + " bytes its descriptor declares");
      }
      sha256.update(buffer, 0, n);
      ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
      while (bb.hasRemaining()) {
        out.write(bb);
      }
      written += n;
      progress.advance(n);
    }
  }

  /** Checks size and digest of the complete blob. */
  public void verify() throws OciImageException {
    if (written != descriptor.size()) {
      throw new OciImageException(what, "blob " + descriptor.digest() + " is truncated: got "
          + written + " of " + descriptor.size() + " bytes");
    }
    Digest got = Digest.of(sha256.digest());
    if (!got.equals(descriptor.digest())) {
      throw new OciImageException(what, "blob " + descriptor.digest()
          + " does not match its digest (got " + got + ")");
    }
    progress.done();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
