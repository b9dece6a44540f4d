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
    PodGc gc = new PodGc(new PodStore(ctx.dataDir()),
        new PodGc.Stage1Options(ctx.debug(), ctx.localConfig()), events(ctx, "gc"),
        PodNetworking.teardown(ctx, "gc"));
    PodGc.Result result;
    try {
      result = gc.collect(grace, expire, flags.getBool("mark-only"));
    } catch (PodException e) {
      throw new CliException(e.getMessage());
    }
    for (String failure : result.failures()) {
      ctx.err().println("gc: " + failure);
    }
    return result.failures().isEmpty() ? 0 : 254;
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
