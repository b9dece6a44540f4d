package io.jrkt.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one store key, held across processes by a POSIX lock on a lock file and
 * across threads of this JVM by an in-memory lock taken first.
 *
 * <p>The in-memory lock matters for correctness, not only for speed: POSIX locks belong to the
 * process, and closing any descriptor of the file drops them all, so a JVM must never have the
 * same lock file open twice. Lock files are never deleted (a waiter could end up holding a lock
 * on an unlinked file while another process locks a new one).
 */
final class KeyLock implements AutoCloseable {
  /** The in-JVM side of one lock file; dropped from the map when nobody uses it any more. */
  private static final class Local {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private static final ConcurrentHashMap<Path, Local> LOCAL = new ConcurrentHashMap<>();

  private final Path key;
  private final Local local;
  private final FileChannel channel;
  private final FileLock lock;

  private KeyLock(Path key, Local local, FileChannel channel, FileLock lock) {
    this.key = key;
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /** Waits for the lock. */
  static KeyLock acquire(Path lockFile) throws IOException {
    Path key = key(lockFile);
    Local local = join(key);
    if (local.lock.isHeldByCurrentThread()) {
      leave(key);
      throw new IllegalStateException("lock " + lockFile + " is already held by this thread");
    }
    local.lock.lock();
    FileChannel ch = null;
    try {
      ch = open(lockFile);
      return new KeyLock(key, local, ch, ch.lock());
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(ch);
      local.lock.unlock();
      leave(key);
      throw e;
    }
  }

  /** Takes the lock if nobody holds it; null otherwise. */
  static KeyLock tryAcquire(Path lockFile) throws IOException {
    Path key = key(lockFile);
    Local local = join(key);
    if (local.lock.isHeldByCurrentThread() || !local.lock.tryLock()) {
      leave(key);
      return null;
    }
    FileChannel ch = null;
    try {
      ch = open(lockFile);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        local.lock.unlock();
        leave(key);
        return null;
      }
      return new KeyLock(key, local, ch, l);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(ch);
      local.lock.unlock();
      leave(key);
      throw e;
    }
  }

  private static Path key(Path lockFile) {
    return lockFile.toAbsolutePath().normalize();
  }

  private static Local join(Path key) {
    return LOCAL.compute(key, (k, v) -> {
      Local l = v == null ? new Local() : v;
      l.users++;
      return l;
    });
  }

  private static void leave(Path key) {
    LOCAL.computeIfPresent(key, (k, v) -> --v.users == 0 ? null : v);
  }

  private static FileChannel open(Path lockFile) throws IOException {
    return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // Closing drops the lock, which is what is wanted.
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } finally {
      local.lock.unlock();
      leave(key);
    }
  }
}
