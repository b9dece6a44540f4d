package io.jrkt.pod;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a stage1 entrypoint as a child ({@code gc}, {@code stop}): cwd = the pod directory,
 * environment and stdout/stderr inherited, waiting for it to end.
 */
public final class Stage1Process {
  private Stage1Process() {}

  /** Runs {@code entrypoint args...}; returns its exit status. */
  public static int run(Path podDir, Path entrypoint, List<String> args) throws PodException {
    List<String> cmd = new ArrayList<>();
    cmd.add(entrypoint.toString());
    cmd.addAll(args);
    return runArgv(podDir, entrypoint, cmd);
  }

  /**
   * Runs {@code argv}, which starts {@code entrypoint} directly or through the overlay helper
   * (see {@link PodOverlay}); returns its exit status.
   */
  public static int runArgv(Path podDir, Path entrypoint, List<String> argv)
      throws PodException {
    System.out.flush(); // keep our own output ordered before the child's
    ProcessBuilder pb = new ProcessBuilder(argv).directory(podDir.toFile()).inheritIO();
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process p = pb.start();
      return p.waitFor();
    } catch (IOException e) {
      throw new PodException("cannot execute stage1 entrypoint " + entrypoint + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PodException("interrupted while waiting for " + entrypoint);
    }
  }
}
