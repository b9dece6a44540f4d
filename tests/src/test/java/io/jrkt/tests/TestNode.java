package io.jrkt.tests;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private systemd for tests: PID 1 of its own PID, mount, UTS, IPC and cgroup namespaces, with
 * journald, the system bus and systemd-machined (started on demand over D-Bus, as on a real
 * host), booted from a handful of unit files (the host's journald, D-Bus and machined units
 * plus stub targets) with every host unit and generator hidden. Its cgroup is a
 * child cgroup this fixture creates, so it never sees the host's cgroups.
 *
 * <p>Commands run "on the node" through {@link #prefix()} ({@code nsenter -t PID -m -p}), as a
 * real node's would: units, pod PIDs and the journal are then the node's. {@link #close} kills
 * the node's PID 1 (which ends every process in it), kills what is left in its cgroup and
 * removes the cgroup and the files it made; it touches nothing else.
 */
final class TestNode implements AutoCloseable {
  private static final Path CGROUP2 = Path.of("/sys/fs/cgroup/unified");
  private static final String[] HOST_UNITS = {"systemd-journald.service",
      "systemd-journald.socket", "systemd-journald-dev-log.socket", "dbus.service",
      "dbus.socket", "systemd-machined.service", "machine.slice"};
  private static final List<String> MACHINED_UNITS = List.of("systemd-machined.service",
      "machine.slice");
  /** Unit aliases of the host's, as symlinks: name and target. */
  private static final String[][] HOST_ALIASES = {
      {"dbus-org.freedesktop.machine1.service", "systemd-machined.service"}};
  private static final String[] OWN_UNITS = {"jrkt-node.target", "sysinit.target",
      "basic.target", "sockets.target", "shutdown.target"};
  private static final long BOOT_TIMEOUT_MS = 30_000;
  /** The child of the node's cgroup that {@link #localPrefix()} puts commands in. */
  private static final String LOCAL_CGROUP = "node-local";

  private final Path dir;
  private final Path cgroup;
  private final Process unshare;
  private final long systemdPid;
  /** Tears the node down if the test JVM ends (e.g. a timeout) before close() ran. */
  private final Thread onExit = new Thread(this::teardown, "test-node-teardown");
  private boolean closed;

  private TestNode(Path dir, Path cgroup, Process unshare, long systemdPid) {
    this.dir = dir;
    this.cgroup = cgroup;
    this.unshare = unshare;
    this.systemdPid = systemdPid;
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** Boots a node whose files live in a new directory under {@code parent}. */
  static TestNode boot(Path parent) {
    return boot(parent, true);
  }

  /**
   * Boots a node; without {@code machined} it has no systemd-machined: neither its unit nor
   * any D-Bus activation file (like a host without systemd-container's machined).
   */
  static TestNode boot(Path parent, boolean machined) {
    if (!Files.isDirectory(CGROUP2)) {
      throw new IllegalStateException("no cgroup2 hierarchy at " + CGROUP2);
    }
    String id = "jrkt-test-node-" + UUID.randomUUID().toString().substring(0, 8);
    Path dir;
    Path cgroup = CGROUP2.resolve(id);
    try {
      Files.createDirectories(parent);
      dir = Files.createTempDirectory(parent, id + "-");
      Path units = Files.createDirectories(dir.resolve("units"));
      for (String u : HOST_UNITS) {
        if (machined || !MACHINED_UNITS.contains(u)) {
          Files.copy(Path.of("/usr/lib/systemd/system", u), units.resolve(u));
        }
      }
      for (String[] alias : HOST_ALIASES) {
        if (machined) {
          Files.createSymbolicLink(units.resolve(alias[0]), Path.of(alias[1]));
        }
      }
      for (String u : OWN_UNITS) {
        Files.writeString(units.resolve(u), resource(u));
      }
      Path init = dir.resolve("node-init.sh");
      Files.writeString(init, resource("node-init.sh"));
      Files.createDirectory(cgroup);
      Files.createDirectory(cgroup.resolve(LOCAL_CGROUP));
      // The shell moves itself into the node's cgroup BEFORE unsharing the cgroup namespace,
      // so that cgroup is the namespace's root.
      String script = "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec unshare --pid"
          + " --mount --uts --ipc --cgroup --fork --propagation private --mount-proc /bin/sh "
          + init + " " + units + (machined ? "" : " no-machined");
      Process p = new ProcessBuilder("setsid", "/bin/sh", "-c", script)
          .redirectInput(new File("/dev/null"))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("node.log").toFile())
          .start();
      long systemd = -1;
      TestNode node = null;
      try {
        systemd = awaitChild(p);
        node = new TestNode(dir, cgroup, p, systemd);
        node.awaitRunning();
        return node;
      } catch (RuntimeException | Error e) {
        if (node == null) {
          node = new TestNode(dir, cgroup, p, systemd);
        }
        String log = readQuietly(dir.resolve("node.log"));
        node.close();
        throw new IllegalStateException("test node did not boot: " + e.getMessage()
            + "\nnode log:\n" + log, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host PID of the node's systemd. */
  long pid() {
    return systemdPid;
  }

  Path dir() {
    return dir;
  }

  /** Runs what follows on the node: in its mount and PID namespaces. */
  List<String> prefix() {
    return List.of("nsenter", "-t", Long.toString(systemdPid), "-m", "-p", "--");
  }

  /**
   * Runs what follows as one of the node's own processes, like a shell on a real node: first
   * moved into a cgroup of the node (systemd and machined can only move processes between
   * cgroups of its cgroup namespace, e.g. into the scope of a machine), then in the node's
   * cgroup, mount and PID namespaces.
   */
  List<String> localPrefix() {
    return List.of("/bin/sh", "-c", "echo $$ > " + cgroup.resolve(LOCAL_CGROUP)
        .resolve("cgroup.procs") + " && exec nsenter -t " + systemdPid + " -C -m -p -- \"$@\"",
        "node-local");
  }

  /** The node's system bus, as seen from the host. */
  String busAddress() {
    return "unix:path=/proc/" + systemdPid + "/root/run/dbus/system_bus_socket";
  }

  /** Runs a tool on the node; returns exit code and combined output. */
  Result exec(String... cmd) {
    List<String> all = new ArrayList<>(prefix());
    all.addAll(List.of(cmd));
    try {
      Process p = new ProcessBuilder(all).redirectInput(new File("/dev/null"))
          .redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + all);
      }
      return new Result(all, p.exitValue(), new String(out, StandardCharsets.UTF_8), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {@code systemctl show -p NAME --value UNIT} on the node, for assertions only. */
  String unitProperty(String unit, String property) {
    return exec("systemctl", "show", "-p", property, "--value", unit).out().trim();
  }

  private void awaitRunning() {
    long deadline = System.currentTimeMillis() + BOOT_TIMEOUT_MS;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      if (!unshare.isAlive()) {
        throw new IllegalStateException("the node's init exited with " + unshare.exitValue());
      }
      last = exec("systemctl", "is-system-running").out().trim();
      if (last.equals("running") && Files.exists(Path.of("/proc/" + systemdPid
          + "/root/run/dbus/system_bus_socket"))) {
        return;
      }
      sleep(20);
    }
    throw new IllegalStateException("not running after " + BOOT_TIMEOUT_MS + " ms: " + last);
  }

  /** The one child of the unshare process: the node's PID 1 (first the init script). */
  private static long awaitChild(Process unshare) {
    long deadline = System.currentTimeMillis() + BOOT_TIMEOUT_MS;
    Path children = Path.of("/proc/" + unshare.pid() + "/task/" + unshare.pid() + "/children");
    while (System.currentTimeMillis() < deadline) {
      if (!unshare.isAlive()) {
        throw new IllegalStateException("unshare exited with " + unshare.exitValue());
      }
      String c = readQuietly(children).trim();
      if (!c.isEmpty()) {
        return Long.parseLong(c.split("\\s+")[0]);
      }
      sleep(5);
    }
    throw new IllegalStateException("unshare started no child");
  }

  /**
   * Kills the node's PID 1 (the kernel then kills every process of its PID namespace), waits
   * for the unshare process, kills anything left in the node's cgroup and removes the cgroup
   * tree and the node's files.
   */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs teardown
    }
    teardown();
  }

  private synchronized void teardown() {
    if (closed) {
      return;
    }
    closed = true;
    if (systemdPid > 0 && isChildOf(systemdPid, unshare.pid())) {
      Jrkt.exec(List.of("kill", "-9", Long.toString(systemdPid)));
    }
    try {
      if (!unshare.waitFor(30, TimeUnit.SECONDS)) {
        unshare.destroyForcibly();
        unshare.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (cgroup.getParent().equals(CGROUP2) && cgroup.getFileName().toString()
        .startsWith("jrkt-test-node-") && Files.isDirectory(cgroup)) {
      if (!readQuietly(cgroup.resolve("cgroup.procs")).isBlank()
          && Files.exists(cgroup.resolve("cgroup.kill"))) {
        try {
          Files.writeString(cgroup.resolve("cgroup.kill"), "1");
        } catch (IOException e) {
          // reported by the rmdir below
        }
        sleep(200);
      }
      removeCgroupTree(cgroup);
    }
    Jrkt.exec(List.of("rm", "-rf", "--one-file-system", dir.toString()));
  }

  private static boolean isChildOf(long pid, long parent) {
    for (String line : readQuietly(Path.of("/proc/" + pid + "/status")).split("\n")) {
      if (line.startsWith("PPid:")) {
        return Long.parseLong(line.substring(5).trim()) == parent;
      }
    }
    return false;
  }

  private static void removeCgroupTree(Path top) {
    try (Stream<Path> all = Files.walk(top)) {
      for (Path d : all.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(d);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the test node's cgroup " + top, e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = TestNode.class.getResourceAsStream("node/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource node/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String readQuietly(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
