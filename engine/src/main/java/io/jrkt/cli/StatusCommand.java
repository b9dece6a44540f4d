package io.jrkt.cli;

import io.jrkt.cli.Durations.DurationException;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.pod.PodWaitTimeoutException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code jrkt status}: the pod's state as {@code key=value} lines in rkt's order, or as JSON.
 * Unlike rkt, exit codes are shown for every stage1 that records them (fly included), one
 * {@code app-<name>=<code>} line per app in manifest order.
 */
final class StatusCommand implements Command {
  /** rkt exits 1, not 254, when the --uuid-file of status cannot be read. */
  private static final int UNREADABLE_UUID_FILE = 1;

  /** A parsed bool-or-duration flag: off, on (wait forever: timeout null), or on with a timeout. */
  record Wait(boolean enabled, Duration timeout) {
    static final Wait OFF = new Wait(false, null);

    static Wait parse(String flag, String value) throws CliException {
      if (value.equals("false")) {
        return OFF;
      }
      if (value.equals("true")) {
        return new Wait(true, null);
      }
      try {
        Duration d = Durations.parse(value);
        return d.isNegative() || d.isZero() ? OFF : new Wait(true, d);
      } catch (DurationException e) {
        throw new CliException("invalid --" + flag + " \"" + value
            + "\": want true, false or a duration like 30s");
      }
    }
  }

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "Check the status of a pod";
  }

  @Override
  public String usage() {
    return "[--wait[=bool|duration]] [--wait-ready[=bool|duration]] [--format=json|json-pretty]"
        + " UUID";
  }

  @Override
  public void define(Flags flags) {
    flags.optional("wait", "false", "true", "toggles waiting for the pod to finish; with a "
        + "duration, waits at most that long")
        .optional("wait-ready", "false", "true", "toggles waiting until the pod is ready; with "
            + "a duration, waits at most that long");
    OutputFormat.define(flags);
    PodArgs.defineUuidFile(flags);
    PodUnits.defineBusFlag(flags);
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    OutputFormat format = OutputFormat.of(flags);
    Wait wait = Wait.parse("wait", flags.getString("wait"));
    Wait waitReady = Wait.parse("wait-ready", flags.getString("wait-ready"));
    PodStore store = new PodStore(ctx.dataDir());
    PodUuid uuid;
    String file = flags.getString(PodArgs.UUID_FILE);
    if (!file.isEmpty() && args.isEmpty()) {
      try {
        uuid = PodArgs.readUuidFile(file);
      } catch (CliException e) {
        throw new CliException(e.getMessage(), UNREADABLE_UUID_FILE);
      }
    } else {
      uuid = PodArgs.single(store, flags, args);
    }
    try {
      Pod pod = store.get(uuid);
      if (waitReady.enabled()) {
        pod = store.waitReady(uuid, waitReady.timeout());
      }
      if (wait.enabled()) {
        pod = store.waitFinished(uuid, wait.timeout());
      }
      if (format == OutputFormat.TABBED) {
        print(ctx.out(), pod);
        java.util.Optional<io.jrkt.systemd.UnitRecord> unit = PodUnits.record(store, pod);
        if (unit.isPresent()) {
          ctx.out().print("unit=" + unit.get().name() + "\nunit-state="
              + PodUnits.state(flags, unit.get(), ctx) + "\n");
        }
      } else {
        Map<String, Object> json = PodJson.of(pod);
        java.util.Optional<io.jrkt.systemd.UnitRecord> unit = PodUnits.record(store, pod);
        if (unit.isPresent()) {
          json.put("unit", unit.get().name().value());
          json.put("unit_state", PodUnits.state(flags, unit.get(), ctx));
        }
        ctx.out().println(PodJson.write(json, format == OutputFormat.JSON_PRETTY));
      }
    } catch (PodWaitTimeoutException e) {
      throw new CliException("timed out after " + Durations.format(e.timeout())
          + " waiting for pod \"" + e.uuid() + "\" to " + e.goal() + " (state: "
          + e.state().label() + ")");
    } catch (PodException e) {
      throw new CliException(e.getMessage());
    }
    return 0;
  }

  static void print(PrintStream out, Pod pod) throws PodException {
    PodState state = pod.state();
    StringBuilder sb = new StringBuilder();
    sb.append("state=").append(state.label()).append('\n');
    sb.append("created=").append(Humanize.goTime(pod.created())).append('\n');
    pod.started().ifPresent(t -> sb.append("started=").append(Humanize.goTime(t)).append('\n'));
    if (state == PodState.RUNNING || state == PodState.EXITED) {
      sb.append("networks=").append(ListCommand.networks(pod.networks())).append('\n');
    }
    if (state == PodState.RUNNING || state == PodState.DELETING
        || state == PodState.EXITED_DELETING || state == PodState.EXITED
        || state == PodState.EXITED_GARBAGE) {
      pod.pid().ifPresent(pid -> sb.append("pid=").append(pid).append('\n'));
      sb.append("exited=").append(state == PodState.EXITED || state == PodState.EXITED_GARBAGE)
          .append('\n');
      if (state != PodState.RUNNING) {
        for (Map.Entry<String, Integer> e : pod.appExitCodes().entrySet()) {
          sb.append("app-").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
      }
    }
    // VM pods (stage1-kvm): the accelerator and why it was chosen.
    io.jrkt.stage1.kvm.KvmPodPlanner.accelNote(pod.dir())
        .ifPresent(note -> sb.append("stage1-accel=").append(note).append('\n'));
    out.print(sb);
  }
}
