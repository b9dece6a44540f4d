package io.jrkt.cli;

import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.pod.Stage1Entrypoints;
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
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    PodArgs.requireOneSource(flags, args);
    PodStore store = new PodStore(ctx.dataDir());
    List<String> targets = args.isEmpty()
        ? List.of(PodArgs.readUuidFile(flags.getString(PodArgs.UUID_FILE)).value()) : args;
    boolean force = flags.getBool("force");
    int failures = 0;
    for (String target : targets) {
      try {
        PodUuid uuid = PodArgs.resolve(store, target);
        if (stop(ctx, store.get(uuid), force)) {
          ctx.out().println("\"" + uuid + "\"");
        }
      } catch (CliException | PodException e) {
        ctx.err().println("stop: " + e.getMessage());
        failures++;
      }
      ctx.out().flush();
    }
    return failures == 0 ? 0 : 254;
  }

  /** Stops one pod; false (with a note) if it had already stopped. */
  private static boolean stop(Context ctx, Pod pod, boolean force)
      throws CliException, PodException {
    if (pod.state() != PodState.RUNNING) {
      if (pod.state().afterRun()) {
        ctx.err().println("stop: pod \"" + pod.uuid() + "\" is already stopped");
        return false;
      }
      throw new CliException("pod \"" + pod.uuid() + "\" is not running (state: "
          + pod.state().label() + ")");
    }
    Stage1Entrypoints eps = Stage1Entrypoints.read(pod.dir());
    var stop = eps.entrypoint(Stage1Entrypoints.STOP).orElseThrow(() -> new CliException(
        "error stopping \"" + pod.uuid() + "\": its stage1 has no stop entrypoint"));
    List<String> argv = new ArrayList<>();
    if (force) {
      argv.add("--force");
    }
    argv.add(pod.uuid().value());
    ctx.out().flush();
    int status = eps.runAsChild(stop, argv);
    if (status != 0) {
      throw new CliException("error stopping \"" + pod.uuid() + "\": " + stop.getFileName()
          + " exited with status " + status);
    }
    return true;
  }
}
