package io.jrkt.cli;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import java.util.List;

/** {@code jrkt cat-manifest}: the pod manifest, re-marshalled (tab-indented by default). */
final class CatManifestCommand implements Command {
  @Override
  public String name() {
    return "cat-manifest";
  }

  @Override
  public String summary() {
    return "Inspect and print the pod manifest";
  }

  @Override
  public String usage() {
    return "[--pretty-print=true] UUID";
  }

  @Override
  public void define(Flags flags) {
    flags.boolTrueByDefault("pretty-print", "apply indent to format the output");
    PodArgs.defineUuidFile(flags);
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    boolean pretty = flags.parseBool("pretty-print");
    PodStore store = new PodStore(ctx.dataDir());
    PodUuid uuid = PodArgs.single(store, flags, args);
    try {
      ctx.out().println(store.get(uuid).manifest().toJson(pretty));
    } catch (PodException e) {
      throw new CliException(e.getMessage());
    }
    return 0;
  }
}
