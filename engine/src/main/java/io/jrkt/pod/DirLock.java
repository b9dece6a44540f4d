package io.jrkt.pod;

import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * An open fd on a pod directory, the handle for rkt's pod locks: flock(2) on the directory itself.
 * The lock follows the directory inode through renames, so a pod stays locked while it moves
 * between state directories.
 */
final class DirLock implements AutoCloseable {
  private static final int ENOENT = 2;
  private static final int ENOTDIR = 20;

  private final Path path;
  private int fd;

  private DirLock(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  /** Opens {@code dir}; null when it does not exist (the pod moved or was deleted). */
  static DirLock openIfPresent(Path dir) throws PodException {
    Native.load();
    try {
      return new DirLock(dir, Native.openDirectory(dir.toString()));
    } catch (NativeException e) {
      if (e.errno() == ENOENT || e.errno() == ENOTDIR) {
        return null;
      }
      throw new PodException("cannot open pod directory " + dir + ": " + e.getMessage(), e);
    }
  }

  int fd() {
    return fd;
  }

  /** Takes a shared lock without waiting; false if another process holds an exclusive one. */
  boolean tryShared() throws PodException {
    return flock(Native.LOCK_SH, false);
  }

  boolean tryExclusive() throws PodException {
    return flock(Native.LOCK_EX, false);
  }

  /** Waits for a shared lock, i.e. until no process holds an exclusive one. */
  void waitShared() throws PodException {
    flock(Native.LOCK_SH, true);
  }

  void unlock() throws PodException {
    flock(Native.LOCK_UN, false);
  }

  private boolean flock(int op, boolean wait) throws PodException {
    try {
      return Native.flock(fd, op, wait);
    } catch (NativeException e) {
      throw new PodException("cannot lock pod directory " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether this fd still refers to the directory now at {@code dir}: after waiting for a lock,
   * the pod may have been moved elsewhere by the previous holder.
   */
  boolean refersTo(Path dir) {
    try {
      Object mine = Files.readAttributes(Path.of("/proc/self/fd/" + fd),
          java.nio.file.attribute.BasicFileAttributes.class).fileKey();
      Object there = Files.readAttributes(dir,
          java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return mine != null && mine.equals(there);
    } catch (IOException e) {
      return false;
    }
  }

  /** Gives up ownership of the fd (it stays open and locked); this object no longer closes it. */
  int release() {
    int f = fd;
    fd = -1;
    return f;
  }

  @Override
  public void close() {
    if (fd >= 0) {
      Native.close(fd); // closing the last fd on the open file releases the flock
      fd = -1;
    }
  }
}
