package io.jrkt.cli;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.pod.PreparedPod;
import io.jrkt.stage1.ArgsException;
import io.jrkt.stage1.DnsConfig;
import io.jrkt.stage1.RunOptions;
import java.io.IOException;
import java.util.List;

/** {@code run-prepared}: starts a prepared pod; the exit status is the pod's. */
final class RunPreparedCommand implements Command {
  @Override
  public String name() {
    return "run-prepared";
  }

  @Override
  public String summary() {
    return "Run a prepared pod";
  }

  @Override
  public String usage() {
    return "[flags] UUID";
  }

  @Override
  public void define(Flags flags) {
    RunFlags.defineRun(flags);
    UnitLaunch.define(flags);
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (args.size() != 1) {
      throw new CliException("expected exactly one pod UUID, got " + args.size()
          + " arguments (usage: run-prepared " + usage() + ")");
    }
    DnsConfig dns;
    try {
      dns = RunFlags.dns(flags);
    } catch (ArgsException e) {
      throw new CliException(e.getMessage());
    }
    RunOptions options = RunFlags.runOptions(ctx, flags, dns);
    PodStore pods = new PodStore(ctx.dataDir());
    if (UnitLaunch.wanted(flags)) {
      try {
        return UnitLaunch.start(ctx, name(), flags, pods.resolve(args.get(0)));
      } catch (PodException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
    PreparedPod pod;
    try {
      PodUuid uuid = pods.resolve(args.get(0));
      pod = pods.lockPrepared(uuid);
    } catch (PodException e) {
      throw new CliException(e.getMessage(), e);
    }
    try {
      io.jrkt.appc.PodManifest manifest = manifest(pod);
      if (options.interactive() && manifest.apps().size() > 1) {
        throw new CliException("--interactive can only be used with a pod of one app");
      }
      dns.write(pod.dir());
      UnitLaunch.adoptCurrentUnit(pod.dir(), System.getenv());
      io.jrkt.pod.Stage1Entrypoints entrypoints = PodLaunch.entrypointsOf(pod.dir());
      RunOptions netOptions = PodNetworking.setUp(ctx, name(), pod.dir(), pod.uuid().value(),
          io.jrkt.stage1.Stage1Flavor.of(entrypoints.imageName()), manifest, options);
      PodLaunch.handOff(ctx, name(), pod.dir(), entrypoints, netOptions, pod.uuid().value(),
          pod.lockFd());
    } catch (IOException e) {
      throw new CliException("cannot write the pod's DNS files: " + e.getMessage(), e);
    } finally {
      pod.close(); // only reached when the hand-off failed: the pod ends ("exited")
    }
    return 254;
  }

  private static io.jrkt.appc.PodManifest manifest(PreparedPod pod) throws CliException {
    try {
      return io.jrkt.appc.PodManifest.parse(java.nio.file.Files.readAllBytes(
          pod.dir().resolve("pod")));
    } catch (IOException | io.jrkt.appc.AppcException e) {
      throw new CliException("cannot read the pod manifest of " + pod.uuid() + ": "
          + e.getMessage(), e);
    }
  }
}
