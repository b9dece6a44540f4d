package io.jrkt.pod;

import java.nio.file.Path;

/**
 * A prepared pod taken by {@code run-prepared}: moved to {@code run/<uuid>} and exclusively
 * locked (state "running"). The lock fd is handed to the stage1; closing releases it, which ends
 * the pod ("exited") if the hand-off failed.
 */
public final class PreparedPod implements AutoCloseable {
  private final PodUuid uuid;
  private final Path dir;
  private final DirLock lock;

  PreparedPod(PodUuid uuid, Path dir, DirLock lock) {
    this.uuid = uuid;
    this.dir = dir;
    this.lock = lock;
  }

  public PodUuid uuid() {
    return uuid;
  }

  /** {@code pods/run/<uuid>}. */
  public Path dir() {
    return dir;
  }

  /** The fd of the locked pod directory (open with FD_CLOEXEC; the stage1 hand-off keeps it). */
  public int lockFd() {
    return lock.fd();
  }

  @Override
  public void close() {
    lock.close();
  }
}
