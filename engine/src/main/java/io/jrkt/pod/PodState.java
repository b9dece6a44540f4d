package io.jrkt.pod;

/**
 * A pod's state, derived (as in rkt) from the directory the pod is in and whether some process
 * holds an exclusive flock on the pod directory.
 */
public enum PodState {
  EMBRYO("embryo"),
  PREPARING("preparing"),
  ABORTED_PREPARE("aborted prepare"),
  PREPARED("prepared"),
  RUNNING("running"),
  DELETING("deleting"),
  EXITED_DELETING("exited deleting"),
  EXITED("exited"),
  EXITED_GARBAGE("exited garbage"),
  GARBAGE("garbage");

  private final String label;

  PodState(String label) {
    this.label = label;
  }

  /** rkt's text for the state, as {@code list} and {@code status} print it. */
  public String label() {
    return label;
  }

  /** Whether the pod's stage1 was started (its apps ran or run now). */
  public boolean afterRun() {
    return this == RUNNING || this == EXITED || this == EXITED_GARBAGE
        || this == EXITED_DELETING;
  }

  /** Whether the pod ran and its stage1 has ended. */
  public boolean exited() {
    return this == EXITED || this == EXITED_GARBAGE || this == EXITED_DELETING;
  }

  /**
   * Whether the pod can make no more progress on its own: what {@code status --wait} waits for
   * (exited, failed prepare, marked for or being deleted).
   */
  public boolean finished() {
    return exited() || this == ABORTED_PREPARE || this == GARBAGE || this == DELETING;
  }

  /** The state for a pod in {@code dir}, locked or not. */
  static PodState of(StateDir dir, boolean locked) {
    switch (dir) {
      case EMBRYO: return EMBRYO;
      case PREPARE: return locked ? PREPARING : ABORTED_PREPARE;
      case PREPARED: return PREPARED;
      case RUN: return locked ? RUNNING : EXITED;
      case EXITED_GARBAGE: return locked ? EXITED_DELETING : EXITED_GARBAGE;
      case GARBAGE: return locked ? DELETING : GARBAGE;
      default: throw new AssertionError(dir);
    }
  }
}
