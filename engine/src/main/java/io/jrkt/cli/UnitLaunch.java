package io.jrkt.cli;

import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.systemd.PodUnit;
import io.jrkt.systemd.Systemd;
import io.jrkt.systemd.SystemdException;
import io.jrkt.systemd.SystemdManager;
import io.jrkt.systemd.UnitName;
import io.jrkt.systemd.UnitRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code run --unit} and {@code run-prepared --unit}: hands a prepared pod to systemd as a
 * transient service running {@code jrkt run-prepared UUID}, over D-Bus. This class (and with it
 * dbus-java) loads only when {@code --unit} is given.
 */
final class UnitLaunch {
  /** How long the unit may take to become active. */
  private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(30);

  /** The flags of run and run-prepared that are passed on to the unit's run-prepared. */
  private static final List<String> PASSED_RUN_FLAGS = List.of("net", "dns", "dns-search",
      "dns-opt", "dns-domain", "hosts-entry", "hostname", "mds-register", "ipc");

  private UnitLaunch() {}

  static void define(Flags f) {
    f.bool("unit", "run the pod as a transient systemd service (over D-Bus) and return once "
            + "it is active")
        .string("unit-name", "", "the unit's name with --unit (default jrkt-UUID.service, "
            + "k8s_UUID.service for kubelet pods)")
        .string("systemd-bus", "", "the D-Bus address of systemd's bus (default "
            + "$DBUS_SYSTEM_BUS_ADDRESS or the system bus)");
  }

  /** Refuses the unit flags without {@code --unit}, and {@code --interactive} with it. */
  static boolean wanted(Flags f) throws CliException {
    if (!f.getBool("unit")) {
      if (!f.getString("unit-name").isEmpty()) {
        throw new CliException("--unit-name needs --unit");
      }
      return false;
    }
    if (f.getBool("interactive")) {
      throw new CliException("--interactive cannot be used with --unit: the pod runs under "
          + "systemd, without a terminal");
    }
    if (!f.getString("unit-name").isEmpty()) {
      unitName(f, null); // refused before any pod is prepared
    }
    return true;
  }

  /**
   * A connection to systemd being made on another thread: the first D-Bus connection of a JVM
   * costs ~100 ms of class initialisation, which {@code run --unit} overlaps with preparing the
   * pod.
   */
  static final class PendingConnection {
    private final String bus;
    private final Thread thread;
    private SystemdManager manager;
    private SystemdException failure;

    private PendingConnection(String bus) {
      this.bus = bus;
      this.thread = new Thread(this::connect, "systemd-connect");
      thread.setDaemon(true);
      thread.start();
    }

    private void connect() {
      try {
        manager = Systemd.connect(bus);
      } catch (SystemdException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new SystemdException(SystemdException.Kind.BUS_UNREACHABLE,
            "cannot reach systemd on the bus at " + bus + ": " + e, e);
      }
    }

    SystemdManager get() throws SystemdException {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SystemdException(SystemdException.Kind.BUS_UNREACHABLE, "interrupted while "
            + "connecting to " + bus, e);
      }
      if (failure != null) {
        throw failure;
      }
      return manager;
    }
  }

  /** Starts connecting to the bus the flags name; {@link #start} then uses the connection. */
  static PendingConnection connectEarly(Flags flags) {
    return new PendingConnection(Systemd.busAddress(flags.getString("systemd-bus"),
        System.getenv()));
  }

  static int start(Context ctx, String command, Flags flags, PodUuid uuid)
      throws CliException {
    return start(ctx, command, flags, uuid, null);
  }

  /**
   * Starts the prepared pod {@code uuid} as a unit and waits until it is active. On failure
   * before the unit started, the pod stays prepared (gc expires it) and the unit record is
   * removed. Prints the UUID and the unit name. {@code early}: a connection already under way.
   */
  static int start(Context ctx, String command, Flags flags, PodUuid uuid,
      PendingConnection early) throws CliException {
    PodStore store = new PodStore(ctx.dataDir());
    Pod pod;
    try {
      pod = store.get(uuid);
    } catch (PodException e) {
      throw new CliException(e.getMessage(), e);
    }
    if (pod.state() != PodState.PREPARED) {
      throw new CliException("pod " + uuid + " is not prepared (state: " + pod.state().label()
          + ")");
    }
    UnitName name = unitName(flags, pod);
    String bus = Systemd.busAddress(flags.getString("systemd-bus"), System.getenv());
    PodUnit unit = new PodUnit(name, "jrkt pod " + uuid.value(), PodUnit.runPreparedCommand(
        ctx.binDir().resolve("jrkt").toAbsolutePath().toString(), globalFlags(ctx),
        runFlags(flags), uuid.value()));
    if (ctx.debug()) {
      ctx.debug(command + ": starting unit " + name + " on " + bus + " with\n"
          + PodUnit.render(unit.properties()).stripTrailing());
    }
    Path dir = pod.dir();
    try {
      new UnitRecord(name, bus).write(dir);
    } catch (IOException e) {
      throw new CliException("cannot write the unit record of pod " + uuid + ": "
          + e.getMessage(), e);
    }
    boolean started = false;
    long t0 = System.nanoTime();
    try (SystemdManager systemd = early != null ? early.get() : Systemd.connect(bus)) {
      long t1 = System.nanoTime();
      systemd.startTransientUnit(name, unit.properties());
      started = true;
      long t2 = System.nanoTime();
      systemd.awaitActive(name, ACTIVE_TIMEOUT);
      if (ctx.debug()) {
        ctx.debug(command + ": connected in " + (t1 - t0) / 1_000_000 + " ms, unit started in "
            + (t2 - t1) / 1_000_000 + " ms, active after " + (System.nanoTime() - t2) / 1_000_000
            + " ms more");
      }
    } catch (SystemdException e) {
      if (!started) {
        forgetRecord(dir);
      }
      throw new CliException(e.getMessage(), e);
    }
    ctx.debug(command + ": disconnected after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    ctx.out().println(uuid.value());
    ctx.out().println(name.value());
    return 0;
  }

  private static void forgetRecord(Path dir) {
    try {
      UnitRecord.delete(dir);
    } catch (IOException e) {
      // the pod is still prepared; a stale record only names a unit that never ran
    }
  }

  private static UnitName unitName(Flags flags, Pod pod) throws CliException {
    String given = flags.getString("unit-name");
    if (!given.isEmpty()) {
      try {
        return UnitName.parse(given);
      } catch (SystemdException e) {
        throw new CliException("--unit-name: " + e.getMessage());
      }
    }
    boolean kubelet;
    try {
      kubelet = pod.manifest().annotations().get(UnitName.KUBELET_ANNOTATION).orElse("")
          .equals("true");
    } catch (PodException e) {
      throw new CliException(e.getMessage(), e);
    }
    return UnitName.forPod(pod.uuid().value(), kubelet);
  }

  /** The global flags the unit's jrkt needs to find the same pod the same way. */
  static List<String> globalFlags(Context ctx) {
    List<String> g = new ArrayList<>();
    g.add("--dir=" + ctx.dataDir());
    g.add("--system-config=" + ctx.systemConfig());
    // Only when given: without it, the unit's jrkt reads the same network directories as this
    // one (/etc/jrkt/net.d as well).
    if (ctx.localConfigGiven()) {
      g.add("--local-config=" + ctx.localConfig());
    }
    if (ctx.userConfig() != null) {
      g.add("--user-config=" + ctx.userConfig());
    }
    if (!ctx.insecureOptions().isEmpty()) {
      g.add("--insecure-options=" + String.join(",", new java.util.TreeSet<>(
          ctx.insecureOptions())));
    }
    if (ctx.debug()) {
      g.add("--debug");
    }
    return g;
  }

  /** The run flags given on this command line, as run-prepared takes them. */
  static List<String> runFlags(Flags f) {
    List<String> r = new ArrayList<>();
    for (String name : PASSED_RUN_FLAGS) {
      if (!f.isDefined(name) || !f.isSet(name)) {
        continue;
      }
      if (f.isBool(name)) {
        r.add("--" + name + "=" + f.getBool(name));
      } else if (isList(f, name)) {
        for (String v : f.getList(name)) {
          r.add("--" + name + "=" + v);
        }
      } else {
        r.add("--" + name + "=" + f.getString(name));
      }
    }
    return r;
  }

  private static boolean isList(Flags f, String name) {
    return name.equals("dns") || name.equals("dns-search") || name.equals("dns-opt")
        || name.equals("hosts-entry");
  }

  /**
   * A run-prepared (or run) started by systemd without {@code --unit}, e.g. the kubelet's
   * {@code k8s_UUID.service}: records the unit it runs in, so that stop, status, logs and gc
   * find it. Costs nothing outside systemd units.
   */
  static void adoptCurrentUnit(Path podDir, Map<String, String> env) {
    if (env.get("INVOCATION_ID") == null || Files.exists(podDir.resolve(UnitRecord.FILE))) {
      return;
    }
    try {
      String cgroup = Files.readString(Path.of("/proc/self/cgroup"));
      Optional<UnitName> unit = UnitRecord.unitOfCgroupFile(cgroup);
      if (unit.isPresent()) {
        String bus = env.getOrDefault("DBUS_SYSTEM_BUS_ADDRESS", "");
        new UnitRecord(unit.get(), bus).write(podDir);
      }
    } catch (IOException | RuntimeException e) {
      // Only bookkeeping: the pod runs either way.
    }
  }
}
