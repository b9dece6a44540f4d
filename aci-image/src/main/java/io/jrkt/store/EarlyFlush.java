package io.jrkt.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Flushes a finished file to disk on a background thread while other work goes on, so that the
 * final sync before the rename has less left to write. For an import the blob is complete about
 * a second before the tree is, on a typical image.
 */
final class EarlyFlush {
  private final Path file;
  private Thread thread;
  private volatile IOException failure;

  EarlyFlush(Path file) {
    this.file = file;
  }

  /** Starts flushing; call once the file is completely written. */
  void start() {
    thread = new Thread(() -> {
      try {
        Durability.fsync(file);
      } catch (IOException e) {
        failure = e;
      }
    }, "blob-flush");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits for the flush (if it was started) and reports its failure. */
  void await() throws IOException {
    if (thread == null) {
      return;
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while flushing " + file);
    }
    if (failure != null) {
      throw failure;
    }
  }
}
