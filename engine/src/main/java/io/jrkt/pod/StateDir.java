package io.jrkt.pod;

/**
 * The directories under {@code pods/}, in lifecycle order: pods only ever move forward in this
 * order (embryo to prepare, prepare to prepared/run/garbage, prepared to run/garbage, run to
 * exited-garbage), so scanning in this order cannot miss a pod that moves meanwhile.
 */
enum StateDir {
  EMBRYO("embryo", false),
  PREPARE("prepare", true),
  PREPARED("prepared", false),
  RUN("run", true),
  EXITED_GARBAGE("exited-garbage", true),
  GARBAGE("garbage", true);

  private final String dirName;
  private final boolean lockMeaningful;

  StateDir(String dirName, boolean lockMeaningful) {
    this.dirName = dirName;
    this.lockMeaningful = lockMeaningful;
  }

  String dirName() {
    return dirName;
  }

  /** Whether a held lock changes the state of a pod in this directory. */
  boolean lockMeaningful() {
    return lockMeaningful;
  }
}
