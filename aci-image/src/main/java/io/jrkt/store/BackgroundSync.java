package io.jrkt.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Flushes a workspace to disk in the background while the work that fills it goes on (one flush
 * at a time; a request while one runs is remembered and done after it), so that the final sync
 * before the renames has only the last part left to write. Failures are ignored here: the final
 * {@link Durability#syncTree} is the one that counts.
 */
final class BackgroundSync {
  private final Path dir;
  private Thread thread;
  private boolean again;

  BackgroundSync(Path dir) {
    this.dir = dir;
  }

  /** Asks for a flush of everything written so far. */
  synchronized void request() {
    if (thread != null && thread.isAlive()) {
      again = true;
      return;
    }
    thread = new Thread(this::loop, "store-flush");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (true) {
      try {
        Durability.syncTree(dir);
      } catch (IOException | RuntimeException e) {
        return;
      }
      synchronized (this) {
        if (!again) {
          return;
        }
        again = false;
      }
    }
  }

  /** Waits for a running flush to end. */
  void await() {
    Thread t;
    synchronized (this) {
      again = false;
      t = thread;
    }
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
