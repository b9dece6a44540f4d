package io.jrkt.cli;

import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodOverlay;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.Stage1Entrypoints;
import io.jrkt.pod.Stage1Process;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jrkt stop}: runs each running pod's stage1 {@code stop} entrypoint ({@code [--force]
 * <uuid>}, cwd = pod dir). Returns once the stage1 has signalled the pod, not when it has exited.
 */
final class StopCommand implements Command {
  @Override
  public String name() {
    return "stop";
  }

  @Override
  public String summary() {
    return "Stop a pod";
  }

  @Override
  public String usage() {
    return "[--force] UUID ...";
  }

  @Override
  public void define(Flags flags) {
    flags.bool("force", "forced stopping");
    PodArgs.defineUuidFile(flags);
    PodUnits.defineBusFlag(flags);
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    PodStore store = new PodStore(ctx.dataDir());
    boolean force = flags.getBool("force");
    return PodArgs.forEachPod(ctx, name(), flags, args, store,
        uuid -> stop(ctx, flags, store.get(uuid), force));
  }

  /** Stops one pod; false (with a note) if it had already stopped. */
  private static boolean stop(Context ctx, Flags flags, Pod pod, boolean force)
      throws CliException, PodException {
    if (pod.state() != PodState.RUNNING) {
      if (pod.state().afterRun()) {
        ctx.err().println("stop: pod \"" + pod.uuid() + "\" is already stopped");
        return false;
      }
      throw new CliException("pod \"" + pod.uuid() + "\" is not running (state: "
          + pod.state().label() + ")");
    }
    // A pod that runs as a unit is stopped through systemd, which then knows why it ended.
    java.util.Optional<io.jrkt.systemd.UnitRecord> unit = PodUnits.record(pod);
    if (unit.isPresent() && PodUnits.stop(flags, unit.get(), force)) {
      return true;
    }
    Path stop = Stage1Entrypoints.read(pod.dir()).stopPath(pod.dir()).orElseThrow(() ->
        new CliException("error stopping \"" + pod.uuid()
            + "\": its stage1 has no stop entrypoint"));
    List<String> argv = new ArrayList<>();
    argv.add(stop.toString());
    if (force) {
      argv.add("--force");
    }
    argv.add(pod.uuid().value());
    ctx.out().flush();
    int status = Stage1Process.runArgv(pod.dir(), stop,
        PodOverlay.inRunningPod(pod.dir(), argv));
    if (status != 0) {
      throw new CliException("error stopping \"" + pod.uuid() + "\": " + stop.getFileName()
          + " exited with status " + status);
    }
    return true;
  }
}
