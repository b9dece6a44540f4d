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
import io.jrkt.stage1.PodSetup;
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
      return withDns(podDir, network(ctx, command).setUp(request(ctx, podDir, uuid, manifest,
          options)), options);
    } catch (NetException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** @param manifest null before the images are resolved, for a pod that exposes no ports */
  private static PodNetwork.Request request(Context ctx, Path podDir, String uuid,
      PodManifest manifest, RunOptions options) throws NetException {
    return new PodNetwork.Request(podDir, uuid, NetListSpec.parse(options.net()),
        ctx.netConfigDirs(), manifest == null ? List.of() : PortMapping.of(manifest));
  }

  /** The options with {@code resolv=stage0} once a plugin's DNS answer is the pod's. */
  private static RunOptions withDns(Path podDir, PodNetwork.State state, RunOptions options)
      throws CliException {
    if (!options.resolvMode().equals("default")) {
      return options;
    }
    for (PodNetwork.Joined j : state.networks()) {
      if (j.result().hasDns()) {
        DnsConfig dns = new DnsConfig(j.result().nameservers(), j.result().search(),
            j.result().options(), j.result().domain(), List.of());
        try {
          dns.write(podDir);
        } catch (IOException e) {
          throw new CliException("cannot write the pod's resolv.conf from its network's DNS: "
              + e.getMessage(), e);
        }
        return new RunOptions(options.debug(), options.net(), options.interactive(),
            options.privateUsers(), options.mdsToken(), options.localConfig(),
            options.hostname(), "stage0", options.hostsMode(), options.disableCapabilities(),
            options.disablePaths(), options.disableSeccomp(), options.mutable(),
            options.ipc());
      }
    }
    return options;
  }

  /**
   * {@code run}'s network set-up, on a thread of its own from the moment the pod directory
   * exists, beside the rest of the preparation (for a pod without ports from the moment the
   * stage1 is chosen: images, root file systems, run plan); {@link #await}
   * joins it before the pod moves to {@code run/}. Its records are written before anything is
   * created, as in a set-up in line, so a kill at any moment leaves what gc undoes.
   */
  static final class InBackground implements PodSetup.Sidecar {
    private final Context ctx;
    private final String command;
    private final RunOptions options;
    private Path podDir;
    private Thread thread;
    private volatile PodNetwork.State state;
    private volatile NetException failure;

    InBackground(Context ctx, String command, RunOptions options) {
      this.ctx = ctx;
      this.command = command;
      this.options = options;
    }

    /** Early when there is a network to set up; --net=host and none have nothing to do. */
    @Override
    public boolean startsEarly(Stage1Flavor flavor) {
      try {
        return flavor.joinsStage0Netns() && NetListSpec.parse(options.net()).contained();
      } catch (NetException e) {
        return false; // the set-up reports it, at the usual time
      }
    }

    @Override
    public void start(Path podDir, String uuid, PodManifest manifest, Stage1Flavor flavor) {
      if (!flavor.joinsStage0Netns()) {
        return;
      }
      this.podDir = podDir;
      PodNetwork network = network(ctx, command);
      thread = new Thread(() -> {
        try {
          state = network.setUp(request(ctx, podDir, uuid, manifest, options));
        } catch (NetException e) {
          failure = e;
        } catch (RuntimeException e) {
          failure = new NetException("network set-up failed: " + e, e);
        }
      }, "pod-network");
      thread.start();
    }

    /**
     * Waits for the set-up; returns the options the stage1 gets, as {@link #setUp} does, or
     * throws its error (after which nothing of it is left but what the pod records for gc).
     */
    RunOptions await() throws CliException {
      if (thread == null) {
        return options;
      }
      long t0 = System.nanoTime();
      join();
      ctx.debug(command + ": waited " + (System.nanoTime() - t0) / 1_000_000
          + " ms for the network set-up");
      if (failure != null) {
        throw new CliException(failure.getMessage(), failure);
      }
      return withDns(podDir, state, options);
    }

    @Override
    public boolean undo() {
      if (thread == null) {
        return true;
      }
      join();
      if (state != null) {
        try {
          network(ctx, command).tearDown(podDir);
        } catch (NetException e) {
          ctx.err().println(command + ": " + e.getMessage());
        }
      }
      return !java.nio.file.Files.exists(podDir.resolve(io.jrkt.net.NetRecord.NETNS_FILE))
          && !java.nio.file.Files.isDirectory(podDir.resolve(io.jrkt.net.NetRecord.DIR));
    }

    /** Joins the thread; an interrupt does not cut it short (it is never left half done). */
    private void join() {
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
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
