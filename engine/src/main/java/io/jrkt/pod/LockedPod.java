package io.jrkt.pod;

import java.nio.file.Path;

/**
 * A pod this process holds exclusively locked: a new pod being prepared ({@link NewPod}) or a
 * prepared one taken to run ({@link PreparedPod}). The lock fd can be handed to the stage1;
 * closing releases it.
 */
public abstract class LockedPod implements AutoCloseable {
  private final PodUuid uuid;
  final DirLock lock;

  LockedPod(PodUuid uuid, DirLock lock) {
    this.uuid = uuid;
    this.lock = lock;
  }

  public PodUuid uuid() {
    return uuid;
  }

  /** The pod's current directory. */
  public abstract Path dir();

  /** The fd of the locked pod directory (open with FD_CLOEXEC; the stage1 hand-off keeps it). */
  public int lockFd() {
    return lock.fd();
  }

  /** Releases the lock. */
  @Override
  public void close() {
    lock.close();
  }
}
