package io.jrkt.cli;

import io.jrkt.pod.PodGc;
import io.jrkt.pod.PodStore;
import java.util.List;

/** {@code jrkt rm}: removes pods that are not running, as gc would, right away. */
final class RmCommand implements Command {
  @Override
  public String name() {
    return "rm";
  }

  @Override
  public String summary() {
    return "Remove all files and resources associated with an exited pod";
  }

  @Override
  public String usage() {
    return "UUID ...";
  }

  @Override
  public void define(Flags flags) {
    PodArgs.defineUuidFile(flags);
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    PodStore store = new PodStore(ctx.dataDir());
    PodGc gc = new PodGc(store, new PodGc.Stage1Options(ctx.debug(), ctx.localConfig()),
        new PodGc.Events() {
          @Override
          public void warning(String message) {
            ctx.err().println("rm: " + message);
          }
        }, PodNetworking.teardown(ctx, "rm"));
    return PodArgs.forEachPod(ctx, name(), flags, args, store, uuid -> {
      gc.remove(uuid);
      return true;
    });
  }
}
