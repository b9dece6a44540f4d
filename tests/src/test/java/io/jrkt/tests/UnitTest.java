package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Pods as transient systemd units over D-Bus, on a private systemd node: run --unit,
 * run-prepared --unit, --unit-name, stop, status, gc, and the faults (no bus, a name in use,
 * the CLI killed after the start).
 */
class UnitTest extends NodeTest {
  private Path image(String name, String script) {
    return Aci.busybox(name).shell(script).write(jrkt.work(), name.replace('/', '-') + ".aci");
  }

  @Test
  void runUnitStartsATransientServiceAndLogsGoToTheJournal() {
    String marker = "hello-" + UUID.randomUUID();
    Path aci = image("example.com/unit-hello", "echo " + marker + "; sleep 2; echo bye");
    List<String> started = runUnit(Jrkt.FLY, List.of(), aci);
    String uuid = started.get(0);
    String unit = started.get(1);
    assertEquals("jrkt-" + uuid + ".service", unit);
    // run --unit returns once the unit is active
    assertEquals("active", node.unitProperty(unit, "ActiveState"));
    assertTrue(node.unitProperty(unit, "ExecStart").contains("run-prepared"),
        node.unitProperty(unit, "ExecStart"));
    assertEquals("mixed", node.unitProperty(unit, "KillMode"));
    Map<String, String> st = status(uuid);
    assertEquals(unit, st.get("unit"), st.toString());
    Map<String, Object> json = MiniJson.object(MiniJson.parse(jrkt.run("status",
        "--format=json", uuid).ok().out()));
    assertEquals(unit, json.get("unit"), json.toString());

    Map<String, String> exited = awaitExited(uuid);
    assertEquals("exited", exited.get("state"));
    assertEquals("0", exited.get("app-unit-hello"), exited.toString());
    // journald attributes the app's stream to the unit and names it after the app
    String byUnit = journal("-u", unit).out();
    assertTrue(byUnit.contains(marker), byUnit);
    String byApp = journal("-t", "unit-hello", "_SYSTEMD_UNIT=" + unit).out();
    assertTrue(byApp.contains(marker) && byApp.contains("bye"), byApp);
    // and jrkt logs reads them back after the pod exited
    Result logs = jrkt.run("logs", uuid).ok();
    assertEquals(List.of(marker, "bye"), logs.lines());
  }

  @Test
  void runPreparedUnitWithAGivenNameAndANameInUse() throws Exception {
    Path aci = image("example.com/unit-sleeper", "echo sleeping; sleep 300");
    String uuid = jrkt.prepare(List.of(aci.toString()));
    String name = "mypod-" + UUID.randomUUID().toString().substring(0, 8);
    Result r = jrkt.run("run-prepared", "--unit", "--unit-name=" + name, uuid).ok();
    assertEquals(List.of(uuid, name + ".service"), r.lines());
    assertEquals("active", node.unitProperty(name + ".service", "ActiveState"));
    waitForState(uuid, "running");
    // PIDs are the node's, so status and enter work as on a real node
    String pid = status(uuid).get("pid");
    assertEquals("sleep", node.exec("cat", "/proc/" + pid + "/comm").out().trim(), pid);
    assertEquals(List.of("entered"), jrkt.run("enter", uuid, "/bin/sh", "-c", "echo entered")
        .ok().lines());
    // from the host's namespaces, --systemd-bus reaches the node's systemd
    String fromHost = hostJrkt("status", "--systemd-bus=" + node.busAddress(), uuid);
    assertTrue(fromHost.contains("unit-state=active/running\n"), fromHost);

    String other = jrkt.prepare(List.of(aci.toString()));
    Result taken = jrkt.run("run-prepared", "--unit", "--unit-name=" + name, other);
    assertEquals(254, taken.exit(), taken.toString());
    assertEquals(1, taken.errLines().size(), taken.toString());
    assertTrue(taken.err().contains("already exists") && taken.err().contains(name),
        taken.toString());
    assertEquals("prepared", status(other).get("state"));

    // stop goes through systemd: the unit stops, the pod exits with the app's SIGTERM status
    jrkt.run("stop", uuid).ok();
    Map<String, String> exited = awaitExited(uuid);
    assertEquals("exited", exited.get("state"));
    assertEquals("143", exited.get("app-unit-sleeper"), exited.toString());
    String active = node.unitProperty(name + ".service", "ActiveState");
    assertTrue(active.equals("inactive") || active.equals("failed"), active);
  }

  @Test
  void noBusIsAOneLineErrorAndThePodStaysPrepared() {
    Path aci = image("example.com/unit-nobus", "true");
    String bus = "unix:path=/nonexistent-" + UUID.randomUUID() + "/bus";
    long start = System.nanoTime();
    Result r = jrkt.run(Jrkt.INSECURE, "run", "--unit", Jrkt.FLY, "--systemd-bus=" + bus,
        aci.toString());
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(254, r.exit(), r.toString());
    // one connection attempt, not dbus-java's default of retrying for 10 s
    assertTrue(ms < 6000, ms + " ms");
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err().contains(bus), r.toString());
    List<String> prepared = jrkt.podDirs().stream().filter(d -> d.startsWith("prepared/"))
        .toList();
    assertTrue(!prepared.isEmpty(), jrkt.podDirs().toString());
    for (String d : prepared) {
      assertTrue(!Files.exists(jrkt.data().resolve("pods").resolve(d).resolve("unit")),
          "no unit record left for " + d);
    }
  }

  @Test
  void badUnitFlagsAreRefusedBeforeAnyPodIsMade() {
    Path aci = image("example.com/unit-badflags", "true");
    List<String> before = jrkt.podDirs();
    for (List<String> flags : List.of(List.of("--unit", "--unit-name=has space"),
        List.of("--unit-name=x"), List.of("--unit", "--interactive"))) {
      List<String> cmd = new java.util.ArrayList<>(List.of(Jrkt.INSECURE, "run", Jrkt.FLY));
      cmd.addAll(flags);
      cmd.add(aci.toString());
      Result r = jrkt.run(cmd);
      assertEquals(254, r.exit(), r.toString());
      assertEquals(1, r.errLines().size(), r.toString());
    }
    assertEquals(before, jrkt.podDirs());
  }

  @Test
  void aFailedUnitIsReportedAndGcResetsIt() {
    Path aci = image("example.com/unit-fails", "echo failing; exit 3");
    List<String> started = runUnit(Jrkt.FLY, List.of(), aci);
    String uuid = started.get(0);
    String unit = started.get(1);
    Map<String, String> st = awaitExited(uuid);
    assertEquals("3", st.get("app-unit-fails"), st.toString());
    // systemd may need a moment to see the main process's exit
    String state = "";
    for (int i = 0; i < 100 && !state.startsWith("failed"); i++) {
      state = status(uuid).get("unit-state");
      sleep(50);
    }
    assertTrue(state.startsWith("failed"), state);
    assertEquals("failed", node.unitProperty(unit, "ActiveState"));
    Result logs = jrkt.run("logs", uuid).ok();
    assertEquals(List.of("failing"), logs.lines());

    jrkt.run("gc", "--grace-period=0s").ok();
    assertEquals("not-found", node.unitProperty(unit, "LoadState"));
  }

  @Test
  void theCliKilledRightAfterTheStartLeavesThePodRunning() throws Exception {
    Path aci = image("example.com/unit-survivor", "sleep 300");
    String name = "survivor-" + UUID.randomUUID().toString().substring(0, 8) + ".service";
    Jrkt.Running cli = jrkt.start(List.of(Jrkt.INSECURE, "run", "--unit", Jrkt.FLY,
        "--unit-name=" + name, aci.toString()));
    // The unit exists as soon as StartTransientUnit returned: then kill -9 the CLI (the JVM on
    // the node, a child of nsenter).
    String load = "";
    for (int i = 0; i < 600 && !load.equals("loaded"); i++) {
      load = node.unitProperty(name, "LoadState");
      if (!load.equals("loaded")) {
        sleep(10);
      }
    }
    assertEquals("loaded", load);
    cli.process().descendants().forEach(ProcessHandle::destroyForcibly);
    cli.kill9();
    String active = "";
    for (int i = 0; i < 200 && !active.equals("active"); i++) {
      active = node.unitProperty(name, "ActiveState");
      sleep(20);
    }
    assertEquals("active", active);
    // The pod may move from prepared/ to run/ while we look: look again then.
    java.util.Optional<String> found = java.util.Optional.empty();
    for (int i = 0; i < 100 && found.isEmpty(); i++) {
      found = jrkt.podDirs().stream().filter(d -> TestNode.readQuietly(jrkt.data()
          .resolve("pods").resolve(d).resolve("unit")).contains("name=" + name + "\n"))
          .map(d -> d.substring(d.indexOf('/') + 1)).findFirst();
      if (found.isEmpty()) {
        sleep(20);
      }
    }
    String uuid = found.orElseThrow(() -> new AssertionError("no pod records unit " + name
        + ": " + jrkt.podDirs()));
    waitForState(uuid, "running");
    assertEquals(name, status(uuid).get("unit"));
    jrkt.run("stop", uuid).ok();
    awaitExited(uuid);
  }

  @Test
  void nspawnPodAsAUnitLogsEachAppUnderItsName() {
    String marker = "nspawn-" + UUID.randomUUID();
    Path aci = image("example.com/unit-nspawn", "echo " + marker);
    Result r = jrkt.run(Jrkt.INSECURE, "run", "--unit", aci.toString()).ok();
    String uuid = r.lines().get(0);
    String unit = r.lines().get(1);
    Map<String, String> st = awaitExited(uuid);
    assertEquals("0", st.get("app-unit-nspawn"), st + "\n" + journal("-u", unit).out());
    String byApp = journal("-t", "unit-nspawn", "_SYSTEMD_UNIT=" + unit).out();
    assertTrue(byApp.contains(marker), byApp + "\n" + journal("-u", unit).out() + "\n"
        + journal("-o", "verbose", "MESSAGE=" + marker).out());
    assertEquals(List.of(marker), jrkt.run("logs", uuid).ok().lines());
  }

  /** jrkt run in the host's namespaces (not on the node), on the same data dir. */
  private String hostJrkt(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(jrkt.launcher().toString(),
        "--dir=" + jrkt.data()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private void waitForState(String uuid, String state) {
    String s = "";
    for (int i = 0; i < 300 && !s.equals(state); i++) {
      s = status(uuid).get("state");
      if (!s.equals(state)) {
        sleep(20);
      }
    }
    assertEquals(state, s);
  }
}
