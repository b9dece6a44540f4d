package io.jrkt.cli;

import io.jrkt.stage1.PodSetup;
import io.jrkt.stage1.RunOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run}: prepares a pod and hands it to the stage1, which replaces this process; the exit
 * status is the pod's.
 */
final class RunCommand implements Command {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "Run image(s) in a pod";
  }

  @Override
  public String usage() {
    return "[flags] IMAGE [image flags] [-- image args...] [--- IMAGE ...]";
  }

  @Override
  public void define(Flags flags) {
    RunFlags.definePod(flags);
    RunFlags.defineRun(flags);
    UnitLaunch.define(flags);
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
    PodSetup.Request request = RunFlags.podRequest(flags, args, true);
    RunOptions options = RunFlags.runOptions(ctx, flags, request.dns());
    UnitLaunch.PendingConnection systemd = UnitLaunch.wanted(flags)
        ? UnitLaunch.connectEarly(flags) : null;
    if (systemd != null) {
      PodSetup.Prepared p = PodLaunch.prepare(ctx, name(), flags, request);
      PodLaunch.finish(p, false);
      return UnitLaunch.start(ctx, name(), flags, p.pod().uuid(), systemd);
    }
    // The network is set up while the rest of the pod is prepared.
    PodNetworking.InBackground network = new PodNetworking.InBackground(ctx, name(), options);
    PodSetup.Prepared p = PodLaunch.prepare(ctx, name(), flags, request, network);
    CliException netFailure = null;
    RunOptions netOptions = options;
    try {
      netOptions = network.await();
    } catch (CliException e) {
      netFailure = e; // the pod still moves to run/ and ends there ("exited"), as it always did
    }
    Path dir = PodLaunch.finish(p, true, network);
    UnitLaunch.adoptCurrentUnit(dir, System.getenv());
    try {
      if (netFailure != null) {
        throw netFailure;
      }
      if (!dir.equals(p.runDir())) {
        throw new CliException("pod " + p.pod().uuid() + " runs in " + dir + ", not in "
            + p.runDir() + " as its run plan says");
      }
      PodLaunch.handOff(ctx, name(), dir, p.entrypoints(), netOptions, p.pod().uuid().value(),
          p.pod().lockFd());
    } finally {
      p.pod().close(); // only reached when the hand-off failed: the pod ends ("exited")
    }
    return 254;
  }
}
