package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Pods of the systemd-nspawn stage1 on a node whose PID 1 is systemd, with systemd-machined
 * started on demand over D-Bus: each pod registers as machine {@code rkt-<uuid>} whose leader is
 * the pod's supervisor, in a scope of its own when run directly and in its service when run as a
 * unit, and the machine is gone once the pod has stopped (gracefully or by a SIGKILL of
 * systemd-nspawn).
 */
class NspawnMachineTest extends NodeTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String REGISTERED = "systemd is PID 1 and systemd-machined is available:"
      + " registering the pod as machine rkt-";

  private Path image(String name, String script) {
    return Aci.busybox("example.com/" + name).shell(script).write(jrkt.work(), name + ".aci");
  }

  /** jrkt run by one of the node's own processes (in its cgroups), not as a unit. */
  private Jrkt local() {
    return jrkt.behind(node.localPrefix());
  }

  @Test
  void aPodRunDirectlyRegistersInAScopeOfItsOwnAndIsGoneAfterStop() {
    Path aci = image("machine-direct", "sleep 300");
    Path uuidFile = jrkt.work().resolve("direct-uuid");
    Jrkt.Running run = local().start(List.of(Jrkt.INSECURE, "--debug", "run",
        "--uuid-file-save=" + uuidFile, aci.toString()));
    String uuid = awaitUuid(uuidFile, run);
    String machine = "rkt-" + uuid;

    Map<String, String> m = awaitMachine(machine, run);
    assertEquals(supervisorPid(uuid), m.get("Leader"), m.toString());
    assertEquals("container", m.get("Class"), m.toString());
    String scope = "machine-rkt\\x2d" + uuid.replace("-", "\\x2d") + ".scope";
    assertEquals(scope, m.get("Unit"), m.toString());
    assertEquals("machine.slice/" + scope, subcgroup(uuid));
    awaitInContainerCgroup(m.get("Leader"), "machine.slice/" + scope);
    assertTrue(listMachines().contains(machine), listMachines());
    // enter and stop find the pod's processes through what it recorded, wherever machined put them
    jrkt.run("enter", uuid, "/bin/sh", "-c", "exit 3").exits(3);

    jrkt.run("stop", uuid).ok();
    Result r = run.await(Jrkt.TIMEOUT);
    r.exits(143);
    assertTrue(r.err().contains(REGISTERED + uuid), r.err());
    assertFalse(r.err().contains("--keep-unit"), "not in a unit: nspawn makes the scope\n"
        + r.err());
    awaitGone(machine);
    assertEquals("exited", status(uuid).get("state"));
    jrkt.run("gc", "--grace-period=0s").ok();
    assertFalse(listMachines().contains(machine), listMachines());
    assertEquals("inactive", node.unitProperty(scope, "ActiveState"));
  }

  @Test
  void aPodRunAsAUnitRegistersThatUnitAndIsGoneAfterStopAndGc() {
    Path aci = image("machine-unit", "sleep 300");
    Result started = jrkt.run(Jrkt.INSECURE, "--debug", "run", "--unit", aci.toString()).ok();
    String uuid = started.lines().get(started.lines().size() - 2);
    String unit = started.lines().get(started.lines().size() - 1);
    assertEquals("jrkt-" + uuid + ".service", unit, started.toString());
    String machine = "rkt-" + uuid;

    Map<String, String> m = awaitMachine(machine, null);
    assertEquals(supervisorPid(uuid), m.get("Leader"), m.toString());
    assertEquals(unit, m.get("Unit"), "--keep-unit: the machine is the pod's service\n" + m);
    assertEquals("system.slice/" + unit, subcgroup(uuid));
    awaitInContainerCgroup(m.get("Leader"), "system.slice/" + unit);
    jrkt.run("enter", uuid, "/bin/sh", "-c", "exit 3").exits(3);

    jrkt.run("stop", uuid).ok();
    assertEquals("143", awaitExited(uuid).get("app-machine-unit"));
    awaitGone(machine);
    String log = journal("-u", unit).out();
    assertTrue(log.contains(REGISTERED + uuid) && log.contains("in a systemd unit: --keep-unit"),
        log);
    jrkt.run("gc", "--grace-period=0s").ok();
    assertFalse(listMachines().contains(machine), listMachines());
  }

  @Test
  void killingNspawnEndsThePodAndItsMachine() {
    Path aci = image("machine-kill", "sleep 300");
    Path uuidFile = jrkt.work().resolve("kill-uuid");
    Jrkt.Running run = local().start(List.of(Jrkt.INSECURE, "run",
        "--uuid-file-save=" + uuidFile, aci.toString()));
    String uuid = awaitUuid(uuidFile, run);
    String machine = "rkt-" + uuid;
    Map<String, String> m = awaitMachine(machine, run);
    String scope = m.get("Unit");
    String nspawn = Jrkt.read(podDir(uuid).resolve("ppid")).trim();
    // machined's scope holds the container (nspawn stays where it was started)
    List<String> pids = new java.util.ArrayList<>();
    await(() -> {
      pids.clear();
      pids.addAll(node.exec("find", "/sys/fs/cgroup/machine.slice/" + scope, "-name",
          "cgroup.procs", "-exec", "cat", "{}", "+").ok().lines());
      return pids.size() >= 2;
    }, "the supervisor and the app run in the machine's scope");
    assertTrue(pids.contains(m.get("Leader")) && !pids.contains(nspawn), pids.toString());
    pids.add(nspawn);

    node.exec("kill", "-9", nspawn).ok();

    run.await(Jrkt.TIMEOUT);
    await(() -> pids.stream().noneMatch(p -> node.exec("test", "-e", "/proc/" + p).exit() == 0),
        "no process of the pod is left of " + pids, Duration.ofSeconds(5));
    awaitGone(machine);
    await(() -> !node.unitProperty(scope, "ActiveState").equals("active"),
        "the machine's scope " + scope + " ends");
    assertEquals("exited", status(uuid).get("state"));
    jrkt.run("gc", "--grace-period=0s").ok();
    assertFalse(Files.exists(podDir(uuid)), "gc removed the pod");
  }

  // ---- helpers ----

  /**
   * Whether a /proc/PID/cgroup text (read outside the node's cgroup namespace) puts the process
   * in nspawn's "payload" cgroup below the node's {@code unit} cgroup.
   */
  /**
   * Waits until {@code pid} is in the {@code payload} group of the unit's cgroup: nspawn moves
   * its child there just after the machine is registered, so a quick look can see it before.
   */
  private void awaitInContainerCgroup(String pid, String unit) {
    await(() -> inContainerCgroupOf(node.exec("cat", "/proc/" + pid + "/cgroup").out(), unit),
        "pid " + pid + " in " + unit + "/payload");
  }

  private static boolean inContainerCgroupOf(String procCgroup, String unit) {
    return procCgroup.lines().anyMatch(l -> l.startsWith("0::/jrkt-test-node-")
        && l.endsWith("/" + unit + "/payload"));
  }

  /** The pod's cgroup as the stage1 recorded it for stage0 and the API service. */
  private String subcgroup(String uuid) {
    return Jrkt.read(podDir(uuid).resolve("subcgroup")).trim();
  }

  private Path podDir(String uuid) {
    return jrkt.data().resolve("pods/run").resolve(uuid);
  }

  private static String awaitUuid(Path uuidFile, Jrkt.Running run) {
    await(() -> {
      if (!run.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + run.await(Duration.ofSeconds(1)));
      }
      return Files.exists(uuidFile) && !Jrkt.read(uuidFile).isBlank();
    }, uuidFile + " is written");
    return Jrkt.read(uuidFile).trim();
  }

  /** The supervisor: systemd-nspawn's single child, as a PID of the node. */
  private String supervisorPid(String uuid) {
    String nspawn = Jrkt.read(podDir(uuid).resolve("ppid")).trim();
    return node.exec("cat", "/proc/" + nspawn + "/task/" + nspawn + "/children").ok().out()
        .trim();
  }

  /**
   * The machine's properties ({@code machinectl show}) once machined has it running (it is
   * "opening" until its scope's start job is done).
   */
  private Map<String, String> awaitMachine(String machine, Jrkt.Running run) {
    Result[] last = new Result[1];
    await(() -> {
      if (run != null && !run.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + run.await(Duration.ofSeconds(1)));
      }
      last[0] = node.exec("machinectl", "show", machine);
      return last[0].exit() == 0 && last[0].lines().contains("State=running");
    }, "machine " + machine + " is registered and running");
    Map<String, String> props = new java.util.LinkedHashMap<>();
    for (String line : last[0].lines()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        props.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return props;
  }

  private void awaitGone(String machine) {
    await(() -> node.exec("machinectl", "show", machine).exit() != 0,
        "machine " + machine + " is gone");
  }

  private String listMachines() {
    return node.exec("machinectl", "list", "--no-legend", "--no-pager").out();
  }

  private static void await(BooleanSupplier condition, String what) {
    await(condition, what, TIMEOUT);
  }

  private static void await(BooleanSupplier condition, String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      sleep(50);
    }
  }
}
