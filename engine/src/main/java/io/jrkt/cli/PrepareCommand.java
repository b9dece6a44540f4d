package io.jrkt.cli;

import io.jrkt.stage1.PodSetup;
import java.util.List;

/** {@code prepare}: writes a pod in the prepared state and prints its UUID. */
final class PrepareCommand implements Command {
  @Override
  public String name() {
    return "prepare";
  }

  @Override
  public String summary() {
    return "Prepare to run image(s) in a pod";
  }

  @Override
  public String usage() {
    return "[flags] IMAGE [image flags] [-- image args...] [--- IMAGE ...]";
  }

  @Override
  public void define(Flags flags) {
    RunFlags.definePod(flags);
    flags.bool("quiet", "suppress superfluous output on stdout, print only the UUID on success");
  }

  @Override
  public boolean interspersed() {
    return false;
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    PodSetup.Request request = RunFlags.podRequest(flags, args, false);
    PodSetup.Prepared p = PodLaunch.prepare(ctx, name(), flags, request);
    PodLaunch.finish(p, false);
    ctx.out().println(p.pod().uuid().value());
    return 0;
  }
}
