package io.jrkt.pod;

import java.nio.file.Path;

/**
 * A pod being prepared: its directory is {@code pods/prepare/<uuid>} and this object holds the
 * exclusive lock on it (state "preparing"). End with {@link #markPrepared} ({@code prepare}) or
 * {@link #markRunning} ({@code run}); closing without either leaves an unlocked pod in
 * {@code prepare/}, i.e. "aborted prepare", which {@code gc} collects. Closing after
 * {@link #markRunning} ends the pod (state "exited"), which is what a failed hand-off to the
 * stage1 must do.
 */
public final class NewPod extends LockedPod {
  private final PodStore store;
  private Path dir;
  private boolean prepared;

  NewPod(PodStore store, PodUuid uuid, Path dir, DirLock lock) {
    super(uuid, lock);
    this.store = store;
    this.dir = dir;
  }

  /** The pod's current directory ({@code prepare/<uuid>}, or {@code run/<uuid>} after markRunning). */
  @Override
  public Path dir() {
    return dir;
  }

  /** {@code prepare}'s end: moves the pod to {@code prepared/} and releases the lock. */
  public void markPrepared() throws PodException {
    requirePreparing();
    Path to = store.podDir(StateDir.PREPARED, uuid());
    PodFiles.movePod(dir, to);
    dir = to;
    prepared = true;
    lock.close();
  }

  /**
   * {@code run}'s hand-off: moves the pod to {@code run/} keeping the lock (the pod is "running"
   * for as long as this fd, or the stage1 that inherits it, lives). Returns the new directory.
   */
  public Path markRunning() throws PodException {
    requirePreparing();
    Path to = store.podDir(StateDir.RUN, uuid());
    PodFiles.movePod(dir, to);
    dir = to;
    return to;
  }

  private void requirePreparing() throws PodException {
    if (prepared || !dir.getParent().getFileName().toString().equals(
        StateDir.PREPARE.dirName())) {
      throw new PodException("pod " + uuid() + " is no longer being prepared (it is in " + dir
          + ")");
    }
    if (lock.fd() < 0) {
      throw new PodException("pod " + uuid() + " is no longer locked");
    }
  }
}
