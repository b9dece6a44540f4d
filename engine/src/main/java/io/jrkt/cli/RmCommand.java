package io.jrkt.cli;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodGc;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
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
    PodArgs.requireOneSource(flags, args);
    PodStore store = new PodStore(ctx.dataDir());
    List<String> targets = args.isEmpty()
        ? List.of(PodArgs.readUuidFile(flags.getString(PodArgs.UUID_FILE)).value()) : args;
    PodGc gc = new PodGc(store, new PodGc.Stage1Options(ctx.debug(), ctx.localConfig()),
        new PodGc.Events() {
          @Override
          public void warning(String message) {
            ctx.err().println("rm: " + message);
          }
        });
    int failures = 0;
    for (String target : targets) {
      try {
        PodUuid uuid = PodArgs.resolve(store, target);
        gc.remove(uuid);
        ctx.out().println("\"" + uuid + "\"");
      } catch (CliException | PodException e) {
        ctx.err().println("rm: " + e.getMessage());
        failures++;
      }
      ctx.out().flush();
    }
    return failures == 0 ? 0 : 254;
  }
}
