package io.jrkt.cli;

import io.jrkt.appc.PodManifest;
import io.jrkt.net.CniPodNetwork;
import io.jrkt.net.CniRunner;
import io.jrkt.net.NetException;
import io.jrkt.net.NetListSpec;
import io.jrkt.net.PodNetwork;
import io.jrkt.net.PortMapping;
import io.jrkt.net.PluginPath;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodGc;
import io.jrkt.stage1.DnsConfig;
import io.jrkt.stage1.RunOptions;
import io.jrkt.stage1.Stage1Flavor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** stage0's side of pod networking: set-up before the hand-off, tear-down at gc and rm. */
final class PodNetworking {
  private PodNetworking() {}

  static PodNetwork network(Context ctx, String command) {
    return new CniPodNetwork(System.getenv(PluginPath.ENV), new CniRunner(),
        line -> ctx.debug(command + ": " + line));
  }

  /**
   * Sets up the pod's networks when its stage1 joins stage0's netns; returns the options the
   * stage1 gets (with {@code resolv=stage0} when a plugin's DNS answer became the pod's
   * resolv.conf).
   */
  static RunOptions setUp(Context ctx, String command, Path podDir, String uuid,
      Stage1Flavor flavor, PodManifest manifest, RunOptions options) throws CliException {
    if (!flavor.joinsStage0Netns()) {
      return options;
    }
    try {
      NetListSpec nets = NetListSpec.parse(options.net());
      List<PortMapping> ports = PortMapping.of(manifest);
      PodNetwork.State state = network(ctx, command).setUp(new PodNetwork.Request(podDir, uuid,
          nets, ctx.localConfig(), ports));
      if (!options.resolvMode().equals("default")) {
        return options;
      }
      for (PodNetwork.Joined j : state.networks()) {
        if (j.result().hasDns()) {
          DnsConfig dns = new DnsConfig(j.result().nameservers(), j.result().search(),
              j.result().options(), j.result().domain(), List.of());
          dns.write(podDir);
          return new RunOptions(options.debug(), options.net(), options.interactive(),
              options.privateUsers(), options.mdsToken(), options.localConfig(),
              options.hostname(), "stage0", options.hostsMode(), options.disableCapabilities(),
              options.disablePaths(), options.disableSeccomp(), options.mutable(),
              options.ipc());
        }
      }
      return options;
    } catch (NetException e) {
      throw new CliException(e.getMessage(), e);
    } catch (IOException e) {
      throw new CliException("cannot write the pod's resolv.conf from its network's DNS: "
          + e.getMessage(), e);
    }
  }

  /** Undoes a pod's recorded networks (gc, rm). */
  static PodGc.Teardown teardown(Context ctx, String command) {
    return podDir -> {
      if (!java.nio.file.Files.exists(podDir.resolve(io.jrkt.net.NetRecord.NETNS_FILE))
          && !java.nio.file.Files.isDirectory(podDir.resolve(io.jrkt.net.NetRecord.DIR))) {
        return;
      }
      try {
        network(ctx, command).tearDown(podDir);
      } catch (NetException e) {
        throw new PodException("cannot tear down the networks of " + podDir.getFileName()
            + ": " + e.getMessage(), e);
      }
    };
  }
}
