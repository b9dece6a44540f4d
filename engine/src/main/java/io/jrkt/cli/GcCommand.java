package io.jrkt.cli;

import io.jrkt.cli.Durations.DurationException;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodGc;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import java.time.Duration;
import java.util.List;

/** {@code jrkt gc}: rkt's mark and sweep of exited, failed and expired pods. */
final class GcCommand implements Command {
  /** Overrides how many pods the sweep deletes at once (1: one after the other). */
  static final String WORKERS_ENV = "JRKT_GC_WORKERS";
  private static final int MAX_WORKERS = 8;

  @Override
  public String name() {
    return "gc";
  }

  @Override
  public String summary() {
    return "Garbage collect pods no longer in use";
  }

  @Override
  public String usage() {
    return "[--grace-period=30m0s] [--expire-prepared=24h0m0s] [--mark-only]";
  }

  @Override
  public void define(Flags flags) {
    flags.string("grace-period", "30m0s", "duration to wait before discarding inactive pods "
        + "from garbage")
        .string("expire-prepared", "24h0m0s", "duration to wait before expiring prepared pods")
        .bool("mark-only", "if set to true, then the exited/aborted pods will be moved to the "
            + "garbage directories without actually deleting them");
    PodUnits.defineBusFlag(flags);
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (!args.isEmpty()) {
      throw new CliException("gc takes no arguments, got \"" + args.get(0) + "\"");
    }
    Duration grace = duration(flags, "grace-period");
    Duration expire = duration(flags, "expire-prepared");
    PodStore store = new PodStore(ctx.dataDir());
    PodGc.Result result;
    try (PodUnits.FailedUnitReset units = new PodUnits.FailedUnitReset(flags, ctx)) {
      PodGc gc = new PodGc(store, new PodGc.Stage1Options(ctx.debug(), ctx.localConfig()),
          withUnitReset(events(ctx, "gc"), store, units), PodNetworking.teardown(ctx, "gc"),
          workers(System.getenv(WORKERS_ENV), Runtime.getRuntime().availableProcessors()));
      result = gc.collect(grace, expire, flags.getBool("mark-only"));
    } catch (PodException e) {
      throw new CliException(e.getMessage());
    }
    for (String failure : result.failures()) {
      ctx.err().println("gc: " + failure);
    }
    return result.failures().isEmpty() ? 0 : 254;
  }

  /**
   * How many pods the sweep deletes at once: a deletion mostly waits for other processes
   * (network plugins, the stage1's gc), so two per CPU keep the CPUs busy; at most
   * {@value #MAX_WORKERS}, since the plugins' iptables calls contend for the same tables.
   */
  static int workers(String env, int cpus) throws CliException {
    if (env == null || env.isEmpty()) {
      return Math.max(2, Math.min(MAX_WORKERS, 2 * cpus));
    }
    try {
      int n = Integer.parseInt(env);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CliException("invalid " + WORKERS_ENV + " \"" + env
        + "\": must be a whole number of at least 1");
  }

  private static Duration duration(Flags flags, String name) throws CliException {
    String v = flags.getString(name);
    try {
      Duration d = Durations.parse(v);
      if (d.isNegative()) {
        throw new CliException("invalid --" + name + " \"" + v + "\": must not be negative");
      }
      return d;
    } catch (DurationException e) {
      throw new CliException("invalid --" + name + ": " + e.getMessage());
    }
  }

  /** Before a pod is deleted, the failed state of its unit (if it ran as one) is cleared. */
  private static PodGc.Events withUnitReset(PodGc.Events events, PodStore store,
      PodUnits.FailedUnitReset units) {
    return new PodGc.Events() {
      @Override
      public void marked(PodUuid uuid, String message) {
        events.marked(uuid, message);
      }

      @Override
      public void collecting(PodUuid uuid) {
        try {
          units.reset(store.get(uuid));
        } catch (PodException e) {
          // gone already: nothing to reset
        }
        events.collecting(uuid);
      }

      @Override
      public void warning(String message) {
        events.warning(message);
      }
    };
  }

  /** Progress as rkt printed it: marks on stderr, collections on stdout. */
  static PodGc.Events events(Context ctx, String command) {
    return new PodGc.Events() {
      @Override
      public void marked(PodUuid uuid, String message) {
        ctx.err().println(command + ": " + message);
      }

      @Override
      public void collecting(PodUuid uuid) {
        ctx.out().println("Garbage collecting pod \"" + uuid + "\"");
        ctx.out().flush();
      }

      @Override
      public void warning(String message) {
        ctx.err().println(command + ": " + message);
      }
    };
  }
}
