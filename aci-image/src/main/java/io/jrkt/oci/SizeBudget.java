package io.jrkt.oci;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How far the layers of one image may expand: at most {@code maxBytes} in all, and never so far
 * that the store's file system has less than {@code reserveBytes} free. Checked as the data is
 * read, so a zip bomb is stopped within a few megabytes of the limit, not after it filled the
 * disk.
 */
public final class SizeBudget {
  /** Free space is asked for after this many bytes (a statfs per few MiB costs nothing). */
  private static final long CHECK_EVERY = 4L << 20;

  private final long maxBytes;
  private final long reserveBytes;
  private final FileStore fileStore;
  private long used;
  private long sinceCheck;

  public SizeBudget(long maxBytes, long reserveBytes, Path onFileSystem) throws IOException {
    this.maxBytes = maxBytes;
    this.reserveBytes = reserveBytes;
    this.fileStore = Files.getFileStore(onFileSystem);
  }

  /** Thrown (inside reads) when the budget is exhausted. */
  public static final class ExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    ExceededException(String message) {
      super(message);
    }
  }

  /** Accounts for {@code n} more expanded bytes. */
  public void consume(long n) throws ExceededException {
    used += n;
    sinceCheck += n;
    if (used > maxBytes) {
      throw new ExceededException("the image expands beyond the size limit of "
          + mib(maxBytes) + " (see --max-image-size)");
    }
    if (sinceCheck >= CHECK_EVERY) {
      sinceCheck = 0;
      long free;
      try {
        free = fileStore.getUsableSpace();
      } catch (IOException e) {
        return;
      }
      if (free < reserveBytes) {
        throw new ExceededException("the image expands beyond the free disk space of the store"
            + " minus a reserve of " + mib(reserveBytes) + " (" + mib(free) + " free)");
      }
    }
  }

  public long used() {
    return used;
  }

  static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }
}
