package io.jrkt.cli;

import io.jrkt.pod.Pod;
import io.jrkt.systemd.Systemd;
import io.jrkt.systemd.SystemdException;
import io.jrkt.systemd.SystemdManager;
import io.jrkt.systemd.UnitRecord;
import io.jrkt.systemd.UnitStatus;
import java.io.IOException;
import java.util.Optional;

/**
 * What stop, status and gc do for pods that run as systemd units (their pod directory holds a
 * {@link UnitRecord}). The D-Bus connection opens only for such pods.
 */
final class PodUnits {
  private static final int SIGKILL = 9;

  private PodUnits() {}

  static void defineBusFlag(Flags f) {
    f.string("systemd-bus", "", "the D-Bus address of systemd's bus for pods that run as units "
        + "(default: the address recorded at start, $DBUS_SYSTEM_BUS_ADDRESS or the system bus)");
  }

  /** The pod's unit record, if any; an unreadable record is an error naming the file. */
  static Optional<UnitRecord> record(Pod pod) throws CliException {
    try {
      return UnitRecord.read(pod.dir());
    } catch (IOException e) {
      throw new CliException("cannot read the unit record of pod " + pod.uuid() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * As {@link #record(Pod)}, for a pod that may be moving from prepared/ to run/ right now
   * (its unit has just started {@code run-prepared}): then it is looked up again.
   */
  static Optional<UnitRecord> record(io.jrkt.pod.PodStore store, Pod pod) throws CliException {
    Optional<UnitRecord> r = record(pod);
    if (r.isEmpty() && pod.state() == io.jrkt.pod.PodState.PREPARED) {
      try {
        return record(store.get(pod.uuid()));
      } catch (io.jrkt.pod.PodException e) {
        return Optional.empty();
      }
    }
    return r;
  }

  /** The bus for a recorded unit: the flag, else the recorded address, else the default. */
  static String bus(Flags flags, UnitRecord record) {
    String flag = flags.isDefined("systemd-bus") ? flags.getString("systemd-bus") : "";
    return Systemd.busAddress(flag.isEmpty() ? record.bus() : flag, System.getenv());
  }

  /**
   * Stops the pod's unit over D-Bus (StopUnit; --force: SIGKILL to all its processes). Returns
   * false when systemd no longer knows the unit, so the caller falls back to the stage1.
   */
  static boolean stop(Flags flags, UnitRecord record, boolean force) throws CliException {
    try (SystemdManager systemd = Systemd.connect(bus(flags, record))) {
      if (!systemd.status(record.name()).loaded()) {
        return false;
      }
      if (force) {
        systemd.killUnit(record.name(), SIGKILL);
      } else {
        systemd.stopUnit(record.name());
      }
      return true;
    } catch (SystemdException e) {
      if (e.kind() == SystemdException.Kind.NO_SUCH_UNIT) {
        return false;
      }
      throw new CliException("error stopping unit " + record.name() + ": " + e.getMessage(), e);
    }
  }

  /** The unit's state for status; a bus that cannot be reached is reported, not fatal. */
  static String state(Flags flags, UnitRecord record, Context ctx) {
    try (SystemdManager systemd = Systemd.connect(bus(flags, record))) {
      UnitStatus s = systemd.status(record.name());
      return s.describe();
    } catch (SystemdException e) {
      ctx.err().println("status: " + e.getMessage());
      return "unknown";
    }
  }

  /** gc: clears the failed state of the units of pods it collects (one connection, lazily). */
  static final class FailedUnitReset implements AutoCloseable {
    private final Flags flags;
    private final Context ctx;
    private SystemdManager systemd;
    private String connectedBus;

    FailedUnitReset(Flags flags, Context ctx) {
      this.flags = flags;
      this.ctx = ctx;
    }

    /** Thread-safe: gc deletes several pods at once. */
    synchronized void reset(Pod pod) {
      Optional<UnitRecord> record;
      try {
        record = UnitRecord.read(pod.dir());
      } catch (IOException e) {
        ctx.err().println("gc: cannot read the unit record of pod " + pod.uuid() + ": "
            + e.getMessage());
        return;
      }
      if (record.isEmpty()) {
        return;
      }
      String bus = bus(flags, record.get());
      try {
        if (systemd == null || !bus.equals(connectedBus)) {
          close();
          systemd = Systemd.connect(bus);
          connectedBus = bus;
        }
        if (systemd.status(record.get().name()).failed()) {
          systemd.resetFailedUnit(record.get().name());
          ctx.debug("gc: reset failed unit " + record.get().name());
        }
      } catch (SystemdException e) {
        ctx.err().println("gc: pod " + pod.uuid() + ": " + e.getMessage());
      }
    }

    @Override
    public synchronized void close() {
      if (systemd != null) {
        systemd.close();
        systemd = null;
      }
    }
  }
}
