package io.jrkt.systemd.dbus;

import io.jrkt.systemd.SystemdException;
import io.jrkt.systemd.SystemdException.Kind;
import io.jrkt.systemd.SystemdManager;
import io.jrkt.systemd.UnitName;
import io.jrkt.systemd.UnitProperty;
import io.jrkt.systemd.UnitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.freedesktop.systemd1.NoSuchUnit;
import org.freedesktop.systemd1.UnitExists;

/** {@link SystemdManager} over D-Bus with dbus-java (native unix sockets, SASL EXTERNAL). */
public final class DbusSystemdManager implements SystemdManager {
  private static final String DEST = "org.freedesktop.systemd1";
  private static final String MANAGER_PATH = "/org/freedesktop/systemd1";
  private static final String UNIT_IFACE = "org.freedesktop.systemd1.Unit";
  private static final String SERVICE_IFACE = "org.freedesktop.systemd1.Service";
  private static final String JOB_IFACE = "org.freedesktop.systemd1.Job";
  /** dbus-java's retry interval: a timeout of one interval means a single attempt. */
  private static final int CONNECT_ATTEMPT_MS = 500;
  /** waitpid's si_code for a normal exit: ExecMainCode says how the main process ended. */
  private static final int CLD_EXITED = 1;

  private final String address;
  private final DBusConnection connection;
  private final Systemd1Manager manager;

  private DbusSystemdManager(String address, DBusConnection connection,
      Systemd1Manager manager) {
    this.address = address;
    this.connection = connection;
    this.manager = manager;
  }

  public static DbusSystemdManager connect(String address) throws SystemdException {
    DBusConnection c;
    try {
      // One connection attempt: dbus-java retries every 500 ms up to the transport timeout
      // (10 s by default), and a missing socket does not appear by waiting.
      c = DBusConnectionBuilder.forAddress(address).withShared(false).transportConfig()
          .withTimeout(CONNECT_ATTEMPT_MS).back().build();
    } catch (DBusException | DBusExecutionException | IllegalArgumentException e) {
      throw new SystemdException(Kind.BUS_UNREACHABLE, "cannot reach systemd on the bus at "
          + address + ": " + reason(e), e);
    }
    try {
      return new DbusSystemdManager(address, c,
          c.getRemoteObject(DEST, MANAGER_PATH, Systemd1Manager.class));
    } catch (DBusException | RuntimeException e) {
      c.disconnect();
      throw new SystemdException(Kind.BUS_UNREACHABLE, "no systemd on the bus at " + address
          + ": " + reason(e), e);
    }
  }

  @Override
  public void startTransientUnit(UnitName name, List<UnitProperty> properties)
      throws SystemdException {
    List<PropertyStruct> props = new ArrayList<>();
    for (UnitProperty p : properties) {
      props.add(new PropertyStruct(p.name(), variant(p.value())));
    }
    try {
      manager.StartTransientUnit(name.value(), "fail", props, List.of());
    } catch (UnitExists e) {
      throw new SystemdException(Kind.UNIT_EXISTS, "unit " + name + " already exists; choose "
          + "another name with --unit-name, or stop and reset it first", e);
    } catch (DBusExecutionException e) {
      throw failed("start unit " + name, e);
    }
  }

  @Override
  public UnitStatus awaitActive(UnitName name, Duration timeout) throws SystemdException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Properties unit = properties(name.objectPath());
    while (true) {
      // One property per poll while the unit starts; the whole status once it is decided.
      String state = activeState(unit);
      if ("active".equals(state)) {
        return status(name);
      }
      if ("failed".equals(state)) {
        UnitStatus s = status(name);
        throw new SystemdException(Kind.CALL_FAILED, "unit " + name + " failed to start: "
            + s.describe() + exitStatus(s));
      }
      if (System.nanoTime() > deadline) {
        throw new SystemdException(Kind.TIMED_OUT, "unit " + name + " not active after "
            + timeout.toMillis() + " ms: " + status(name).describe());
      }
      // inactive with no start job left means it ended before we saw it active
      if ((state == null || state.equals("inactive")) && !jobPending(name)) {
        UnitStatus again = status(name);
        if (again.active()) {
          return again;
        }
        if (!again.activeState().equals("activating")) {
          throw new SystemdException(Kind.CALL_FAILED, "unit " + name
              + " stopped before it became active: " + again.describe() + exitStatus(again));
        }
      }
      sleep(1);
    }
  }

  /** ActiveState of a unit object, or null while systemd has no such object. */
  private static String activeState(Properties unit) {
    try {
      return unit.Get(UNIT_IFACE, "ActiveState");
    } catch (DBusExecutionException e) {
      return null;
    }
  }

  private static String exitStatus(UnitStatus s) {
    return s.execMainStatus().isPresent() ? ", exit status " + s.execMainStatus().getAsInt()
        : "";
  }

  private boolean jobPending(UnitName name) throws SystemdException {
    Properties unit = properties(name.objectPath());
    try {
      Object job = unit.Get(UNIT_IFACE, "Job");
      // (uo): job id 0 means none
      if (job instanceof org.freedesktop.dbus.Struct st) {
        Object[] parts = st.getParameters();
        return parts.length > 0 && parts[0] instanceof UInt32 id && id.longValue() != 0;
      }
      return false;
    } catch (DBusExecutionException e) {
      return false;
    }
  }

  @Override
  public UnitStatus status(UnitName name) throws SystemdException {
    DBusPath path;
    try {
      path = manager.GetUnit(name.value());
    } catch (NoSuchUnit e) {
      return UnitStatus.gone(name);
    } catch (DBusExecutionException e) {
      throw failed("look up unit " + name, e);
    }
    Properties p = properties(path.getPath());
    try {
      String load = p.Get(UNIT_IFACE, "LoadState");
      String active = p.Get(UNIT_IFACE, "ActiveState");
      String sub = p.Get(UNIT_IFACE, "SubState");
      String result = "";
      OptionalInt mainPid = OptionalInt.empty();
      OptionalInt exit = OptionalInt.empty();
      if (name.value().endsWith(".service")) {
        result = p.Get(SERVICE_IFACE, "Result");
        UInt32 pid = p.Get(SERVICE_IFACE, "MainPID");
        if (pid.longValue() != 0) {
          mainPid = OptionalInt.of(pid.intValue());
        }
        int code = p.<Integer>Get(SERVICE_IFACE, "ExecMainCode");
        if (code == CLD_EXITED) {
          exit = OptionalInt.of(p.<Integer>Get(SERVICE_IFACE, "ExecMainStatus"));
        }
      }
      return new UnitStatus(name, load, active, sub, result, mainPid, exit);
    } catch (org.freedesktop.dbus.exceptions.DBusExecutionException e) {
      if (isUnknownObject(e)) {
        return UnitStatus.gone(name); // unloaded between the two calls
      }
      throw failed("read the state of unit " + name, e);
    }
  }

  @Override
  public void stopUnit(UnitName name) throws SystemdException {
    try {
      manager.StopUnit(name.value(), "replace");
    } catch (NoSuchUnit e) {
      throw new SystemdException(Kind.NO_SUCH_UNIT, "unit " + name + " is not loaded", e);
    } catch (DBusExecutionException e) {
      throw failed("stop unit " + name, e);
    }
  }

  @Override
  public void killUnit(UnitName name, int signal) throws SystemdException {
    try {
      manager.KillUnit(name.value(), "all", signal);
    } catch (NoSuchUnit e) {
      throw new SystemdException(Kind.NO_SUCH_UNIT, "unit " + name + " is not loaded", e);
    } catch (DBusExecutionException e) {
      throw failed("kill unit " + name, e);
    }
  }

  @Override
  public void restartUnit(UnitName name) throws SystemdException {
    try {
      manager.RestartUnit(name.value(), "replace");
    } catch (DBusExecutionException e) {
      throw failed("restart unit " + name, e);
    }
  }

  @Override
  public void resetFailedUnit(UnitName name) throws SystemdException {
    try {
      manager.ResetFailedUnit(name.value());
    } catch (NoSuchUnit e) {
      // gone already: nothing to reset
    } catch (DBusExecutionException e) {
      throw failed("reset unit " + name, e);
    }
  }

  @Override
  public void reload() throws SystemdException {
    try {
      manager.Reload();
    } catch (DBusExecutionException e) {
      throw failed("reload systemd", e);
    }
  }

  @Override
  public void close() {
    connection.disconnect();
  }

  private Properties properties(String path) throws SystemdException {
    try {
      return connection.getRemoteObject(DEST, path, Properties.class);
    } catch (DBusException e) {
      throw new SystemdException(Kind.CALL_FAILED, "systemd object " + path + " on " + address
          + ": " + reason(e), e);
    }
  }

  private SystemdException failed(String what, DBusExecutionException e) {
    return new SystemdException(Kind.CALL_FAILED, "cannot " + what + " (bus " + address + "): "
        + reason(e), e);
  }

  private static boolean isUnknownObject(DBusExecutionException e) {
    String type = e.getClass().getName() + " " + e.getMessage();
    return type.contains("UnknownObject") || type.contains("NoSuchUnit");
  }

  static Variant<?> variant(UnitProperty.Value v) {
    if (v instanceof UnitProperty.Text t) {
      return new Variant<>(t.text());
    }
    if (v instanceof UnitProperty.Flag f) {
      return new Variant<>(f.on());
    }
    if (v instanceof UnitProperty.Number n) {
      return new Variant<>(new UInt64(n.value()));
    }
    UnitProperty.Commands c = (UnitProperty.Commands) v;
    List<ExecStruct> cmds = new ArrayList<>();
    for (UnitProperty.ExecCommand cmd : c.commands()) {
      cmds.add(new ExecStruct(cmd.path(), cmd.argv(), cmd.ignoreFailure()));
    }
    // The explicit signature: dbus-java cannot infer a generic list's element type.
    return new Variant<>(cmds, c.signature());
  }

  private static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  private static void sleep(long ms) throws SystemdException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SystemdException(Kind.TIMED_OUT, "interrupted", e);
    }
  }
}
