package io.jrkt.cli;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.Stage1Entrypoints;
import io.jrkt.stage1.ArgsException;
import io.jrkt.stage1.ImageArgResolver;
import io.jrkt.stage1.PodManifestGenerator;
import io.jrkt.stage1.PodSetup;
import io.jrkt.stage1.RunOptions;
import io.jrkt.stage1.Stage1Config;
import io.jrkt.stage1.Stage1Exception;
import io.jrkt.stage1.Stage1ImportCache;
import io.jrkt.stage1.Stage1Launcher;
import io.jrkt.stage1.Stage1Request;
import io.jrkt.stage1.Stage1RunArgs;
import io.jrkt.stage1.Stage1Selector;
import io.jrkt.stage1.StoreCatalog;
import io.jrkt.store.ImageStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/** What run, prepare and run-prepared share: preparing a pod and handing it to the stage1. */
final class PodLaunch {
  /** Where the stage1 import cache lives in the data directory. */
  static final String STAGE1_IMPORTS = "stage1-imports";

  private PodLaunch() {}

  /** Prepares the pod a run or prepare asks for; the result holds the pod locked. */
  static PodSetup.Prepared prepare(Context ctx, String command, Flags flags,
      PodSetup.Request request) throws CliException {
    return prepare(ctx, command, flags, request, PodSetup.Sidecar.NONE);
  }

  /** As above, with {@code sidecar} started as soon as the pod directory exists. */
  static PodSetup.Prepared prepare(Context ctx, String command, Flags flags,
      PodSetup.Request request, PodSetup.Sidecar sidecar) throws CliException {
    Consumer<String> debug = line -> ctx.debug(command + ": " + line);
    Consumer<String> warn = line -> ctx.err().println(command + ": warning: " + line);
    try (ImageStore store = ctx.openImageStore()) {
      Stage1Config config = request.stage1() instanceof Stage1Request.Default
          ? Stage1Config.load(Arrays.asList(ctx.systemConfig(), ctx.localConfig()))
          : Stage1Config.NONE;
      Stage1Selector selector = new Stage1Selector(new StoreCatalog(store),
          new Stage1ImportCache(ctx.dataDir().resolve(STAGE1_IMPORTS)), ctx.binDir(), config,
          Main.RKT_VERSION, debug);
      ImageArgResolver images = new ImageArgResolver(store, ctx.insecure("image"),
          RunFlags.pullPolicy(flags));
      PodManifestGenerator generator = new PodManifestGenerator(Main.RKT_VERSION,
          System.getenv());
      return new PodSetup(store, new PodStore(ctx.dataDir()), selector, images, generator,
          debug, warn, KvmFlags.settings(ctx, flags)).prepare(request, sidecar);
    } catch (Stage1Exception | ArgsException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /**
   * Ends a preparation: for {@code run} the pod moves to {@code run/} and stays locked (for the
   * stage1 to inherit), for {@code prepare} it moves to {@code prepared/} and is unlocked. A pod
   * that cannot be moved is removed. Returns the pod's directory.
   */
  static Path finish(PodSetup.Prepared p, boolean run) throws CliException {
    return finish(p, run, PodSetup.Sidecar.NONE);
  }

  /** As above; a pod that cannot be moved has {@code sidecar}'s work undone first. */
  static Path finish(PodSetup.Prepared p, boolean run, PodSetup.Sidecar sidecar)
      throws CliException {
    try {
      if (run) {
        return p.pod().markRunning();
      }
      p.pod().markPrepared();
      return p.pod().dir();
    } catch (PodException e) {
      if (sidecar.undo()) {
        PodSetup.abandon(p.pod());
      } else {
        p.pod().close(); // an aborted prepare, whose records gc undoes
      }
      throw new CliException(e.getMessage(), e);
    }
  }

  /** execve of the stage1 run entrypoint; returns only by throwing. */
  static void handOff(Context ctx, String command, Path podDir, Stage1Entrypoints entrypoints,
      RunOptions options, String uuid, int lockFd) throws CliException {
    Stage1RunArgs args = Stage1RunArgs.build(entrypoints.interfaceVersion(), options, uuid);
    for (String w : args.warnings()) {
      ctx.err().println(command + ": warning: " + w);
    }
    if (ctx.debug()) {
      try {
        ctx.debug(command + ": starting " + entrypoints.runPath(podDir) + " "
            + String.join(" ", args.args())
            + (io.jrkt.pod.PodOverlay.isOverlay(podDir)
                ? " (through the overlay helper, which mounts the pod's overlays first)" : ""));
      } catch (PodException e) {
        // reported by execRun below
      }
    }
    ctx.out().flush();
    ctx.err().flush();
    try {
      Stage1Launcher.execRun(podDir, entrypoints, args, System.getenv(), lockFd);
    } catch (Stage1Exception e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** The stage1 entrypoints of a prepared pod, from its {@code stage1/manifest}. */
  static Stage1Entrypoints entrypointsOf(Path podDir) throws CliException {
    try {
      return Stage1Entrypoints.read(podDir);
    } catch (PodException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
