package io.jrkt.store;

import io.jrkt.oci.FetchProgress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A layer file that is still being written by its transfer, read as it grows: rendering follows
 * the download instead of waiting for its end. The writer reports each write through
 * {@link #progress} (bytes are in the file before they are reported); a transfer that starts the
 * blob over (a registry without {@code Range}) makes a reader that is already past the start
 * fail, as the bytes it has read are being replaced.
 */
final class GrowingBlob {
  private final Path file;
  private long available;
  private boolean complete;
  private boolean failed;
  private boolean restarted;

  GrowingBlob(Path file) {
    this.file = file;
  }

  /** A blob that is already whole (linked from the store). */
  static GrowingBlob whole(Path file) {
    GrowingBlob b = new GrowingBlob(file);
    b.complete = true;
    b.available = Long.MAX_VALUE;
    return b;
  }

  /** Wraps the transfer's progress so that each write is also reported here. */
  FetchProgress progress(FetchProgress shown) {
    return (label, total) -> {
      FetchProgress.Blob inner = shown.start(label, total);
      return new FetchProgress.Blob() {
        @Override
        public void advance(long bytes) {
          inner.advance(bytes);
          grew(bytes);
        }

        @Override
        public void done() {
          inner.done();
        }
      };
    };
  }

  private synchronized void grew(long bytes) {
    if (bytes < 0) {
      restarted = true;
      available = 0;
    } else {
      available += bytes;
    }
    notifyAll();
  }

  /** The transfer ended: completely ({@code ok}) or not. */
  synchronized void ended(boolean ok) {
    complete = true;
    failed = !ok;
    if (ok) {
      available = Long.MAX_VALUE;
    }
    notifyAll();
  }

  /** Thrown to the reader when the transfer failed; the transfer's own error says why. */
  static final class TransferFailed extends IOException {
    private static final long serialVersionUID = 1L;

    TransferFailed(String message) {
      super(message);
    }
  }

  /** How far a reader at {@code position} may read, waiting for the writer as needed. */
  private synchronized long limit(long position) throws IOException {
    while (true) {
      if (restarted && position > 0) {
        throw new TransferFailed("the transfer of " + file.getFileName()
            + " started over while it was being unpacked");
      }
      if (failed) {
        throw new TransferFailed("the transfer of " + file.getFileName() + " failed");
      }
      if (available > position || complete) {
        return available;
      }
      try {
        wait(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while unpacking "
            + file.getFileName());
      }
    }
  }

  InputStream open() {
    return new InputStream() {
      private FileChannel channel;
      private long position;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        while (true) {
          long limit = limit(position);
          if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
          }
          int want = (int) Math.min(len, limit - position);
          if (want > 0) {
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n > 0) {
              position += n;
              return n;
            }
          }
          synchronized (GrowingBlob.this) {
            if (complete && !failed && position >= channel.size()) {
              return -1;
            }
          }
        }
      }

      @Override
      public void close() throws IOException {
        if (channel != null) {
          channel.close();
        }
      }
    };
  }
}
