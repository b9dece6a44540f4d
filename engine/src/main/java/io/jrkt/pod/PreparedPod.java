package io.jrkt.pod;

import java.nio.file.Path;

/**
 * A prepared pod taken by {@code run-prepared}: moved to {@code run/<uuid>} and exclusively
 * locked (state "running"). The lock fd is handed to the stage1; closing releases it, which ends
 * the pod ("exited") if the hand-off failed.
 */
public final class PreparedPod extends LockedPod {
  private final Path dir;

  PreparedPod(PodUuid uuid, Path dir, DirLock lock) {
    super(uuid, lock);
    this.dir = dir;
  }

  /** {@code pods/run/<uuid>}. */
  @Override
  public Path dir() {
    return dir;
  }
}
