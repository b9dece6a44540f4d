package io.jrkt.store;

import io.jrkt.aci.FileTrees;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A private directory under {@code cas/tmp/} for one operation, locked (by {@code .lock} inside
 * it) for as long as it is in use, so that gc can tell abandoned work from work in progress.
 * Closing deletes whatever is still in it.
 */
final class Workspace implements AutoCloseable {
  static final String LOCK_FILE = ".lock";

  private final Path dir;
  private final KeyLock lock;

  private Workspace(Path dir, KeyLock lock) {
    this.dir = dir;
    this.lock = lock;
  }

  static Workspace create(Path tmpRoot, String kind) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path dir = newDirectory(tmpRoot, kind);
      KeyLock lock = null;
      try {
        lock = KeyLock.acquire(dir.resolve(LOCK_FILE));
      } catch (NoSuchFileException e) {
        // gc removed the new directory before its lock file was made: start over, below.
      } catch (IOException | RuntimeException e) {
        FileTrees.deleteRecursively(dir);
        throw e;
      }
      // gc removes every workspace nobody holds, a new one without its lock file too; if it
      // took this one between our mkdir and our lock, the lock is on a deleted file.
      if (lock != null && Files.exists(dir.resolve(LOCK_FILE), LinkOption.NOFOLLOW_LINKS)) {
        return new Workspace(dir, lock);
      }
      if (lock != null) {
        lock.close();
      }
      if (attempt >= 4) {
        throw new IOException("cannot keep a workspace in " + tmpRoot
            + ": removed by a concurrent gc each time");
      }
    }
  }

  /**
   * A new directory named by thread and time rather than by
   * {@code Files.createTempDirectory}, whose SecureRandom costs a pod start (which may write an
   * image's last-used time through a workspace) milliseconds to set up.
   */
  private static Path newDirectory(Path tmpRoot, String kind) throws IOException {
    while (true) {
      try {
        return Files.createDirectory(tmpRoot.resolve(kind + "-"
            + Thread.currentThread().getId() + "-" + System.nanoTime()));
      } catch (FileAlreadyExistsException e) {
        // Another process's, made in the same nanosecond: take the next one.
      }
    }
  }

  Path dir() {
    return dir;
  }

  Path resolve(String name) {
    return dir.resolve(name);
  }

  @Override
  public void close() throws IOException {
    try {
      FileTrees.deleteRecursively(dir);
    } finally {
      lock.close();
    }
  }
}
