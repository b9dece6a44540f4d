package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pods of the systemd-nspawn stage1 ({@code stage1-coreos.aci}, built into the stage1-nspawn
 * module's target directory and installed next to the launcher as the default stage1) through the real CLI:
 * multi-app pods, namespaces, volumes, isolators, enter, stop and gc.
 */
class NspawnTest extends FunctionalTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private Path stage1;

  @BeforeAll
  void findStage1() {
    Path repo = Path.of(System.getProperty("jrkt.bin")).toAbsolutePath().normalize().getParent();
    stage1 = repo.resolve("stage1-nspawn/target/stage1-coreos.aci");
    assumeTrue(Files.isRegularFile(stage1), "the nspawn stage1 is not built (" + stage1
        + " is missing): build the stage1-nspawn module first");
    assumeTrue(Jrkt.exec(List.of("systemd-nspawn", "--version")) == 0,
        "systemd-nspawn is not installed on this host");
  }

  // ---- helpers ----

  private List<String> runArgs(Path uuidFile, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run",
        "--stage1-path=" + stage1, "--uuid-file-save=" + uuidFile));
    cmd.addAll(args);
    return cmd;
  }

  private Jrkt.PodRun nspawn(String... args) {
    Path uuidFile = uuidFile();
    Result r = jrkt.run(runArgs(uuidFile, List.of(args)));
    return new Jrkt.PodRun(r, Files.exists(uuidFile) ? Jrkt.read(uuidFile).trim() : null);
  }

  /** A pod started in the background; its UUID once the stage0 has saved it. */
  private record Background(Jrkt.Running running, String uuid) {
  }

  private Background nspawnInBackground(String... args) {
    Path uuidFile = uuidFile();
    Jrkt.Running running = jrkt.start(runArgs(uuidFile, List.of(args)));
    waitFor(uuidFile, true, running);
    return new Background(running, Jrkt.read(uuidFile).trim());
  }

  private int uuidFiles;

  private Path uuidFile() {
    return jrkt.work().resolve("nspawn-uuid-" + (++uuidFiles));
  }

  /** Waits until {@code file} exists (with content, if {@code nonEmpty}) while the pod runs. */
  private static void waitFor(Path file, boolean nonEmpty, Jrkt.Running pod) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!Files.exists(file) || (nonEmpty && Jrkt.read(file).isBlank())) {
      if (!pod.process().isAlive()) {
        throw new AssertionError("the pod ended before " + file + " appeared:\n"
            + pod.await(Duration.ofSeconds(1)));
      }
      if (System.nanoTime() > deadline) {
        pod.process().destroyForcibly();
        throw new AssertionError(file + " did not appear within " + READY_TIMEOUT);
      }
      sleep(20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private Path image(String name, String script) {
    return Aci.busybox("example.com/" + name).shell(script).write(jrkt.work(), name + ".aci");
  }

  private Path directory(String name) {
    try {
      return Files.createDirectories(jrkt.work().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path podDir(String uuid) {
    return jrkt.data().resolve("pods/run").resolve(uuid);
  }

  private static String link(String path) {
    try {
      return Files.readSymbolicLink(Path.of(path)).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    return Jrkt.read(file).lines().filter(l -> !l.isBlank()).toList();
  }

  // ---- multi-app pods, environment, arguments ----

  @Test
  void theDefaultStage1IsNspawnInstalledNextToTheLauncher() {
    Path bin = Path.of(System.getProperty("jrkt.bin"));
    assumeTrue(Files.isRegularFile(bin.resolve("stage1-coreos.aci")),
        "bin/stage1-coreos.aci is not installed");
    Path a = image("default-a", "echo a");
    Path b = image("default-b", "echo b");
    Path uuidFile = uuidFile();

    // Two apps: fly would refuse them, so success itself shows which stage1 ran.
    Result r = jrkt.run(List.of(Jrkt.INSECURE, "--debug", "run", "--uuid-file-save=" + uuidFile,
        a.toString(), "---", b.toString()));

    r.exits(0);
    assertTrue(r.err().contains("flavor coreos"), r.toString());
    assertTrue(r.err().contains("systemd is not PID 1: --register=no --keep-unit"),
        r.toString());
    String manifest = jrkt.run(List.of("cat-manifest", Jrkt.read(uuidFile).trim())).exits(0).out();
    assertTrue(manifest.contains("coreos.com/rkt/stage1-coreos"), manifest);
  }

  @Test
  void threeAppPodRecordsEachAppsExitCodeAndTheFirstFailureIsThePods() {
    Path a = image("three-a", "echo from-a");
    Path b = image("three-b", "sleep 0.3; exit 3");
    Path c = image("three-c", "sleep 60");

    Jrkt.PodRun run = nspawn(a.toString(), "---", b.toString(), "---", c.toString());

    run.result().exits(3);
    assertTrue(run.result().lines().contains("from-a"), run.result().toString());
    Map<String, String> status = status(run.requireUuid());
    assertEquals("exited", status.get("state"), status.toString());
    assertEquals("0", status.get("app-three-a"), status.toString());
    assertEquals("3", status.get("app-three-b"), status.toString());
    assertEquals("143", status.get("app-three-c"), "the failing app stops the others: " + status);
  }

  @Test
  void threeAppPodWhoseAppsAllSucceedExitsZero() {
    Path a = image("ok-a", "echo a");
    Path b = image("ok-b", "sleep 0.2; echo b");
    Path c = image("ok-c", "echo c");

    Jrkt.PodRun run = nspawn(a.toString(), "---", b.toString(), "---", c.toString());

    run.result().ok();
    assertEquals(List.of("a", "b", "c"), run.result().lines().stream().sorted().toList());
    Map<String, String> status = status(run.requireUuid());
    for (String app : List.of("ok-a", "ok-b", "ok-c")) {
      assertEquals("0", status.get("app-" + app), status.toString());
    }
  }

  @Test
  void environmentAndArgumentsReachTheApp() {
    Path aci = Aci.busybox("example.com/ns-env").env("FROM_IMAGE", "image")
        .exec("/bin/sh", "-c", "echo \"$FROM_IMAGE $FROM_SET $FROM_APP n=$# 1=$1 2=$2\"", "sh")
        .write(jrkt.work(), "ns-env.aci");

    Jrkt.PodRun run = nspawn("--set-env=FROM_SET=set value", aci.toString(),
        "--environment=FROM_APP=app", "--", "first arg", "--second");

    run.result().ok();
    assertEquals(List.of("image set value app n=2 1=first arg 2=--second"),
        run.result().lines(), run.result().toString());
  }

  @Test
  void appsRunInTheirOwnPidUtsAndIpcNamespaces() {
    Path aci = image("ns-ns", "for n in pid uts ipc mnt; do echo \"$n $(/bin/busybox readlink "
        + "/proc/self/ns/$n)\"; done");

    Jrkt.PodRun run = nspawn(aci.toString());

    run.result().ok();
    List<String> lines = run.result().lines();
    assertEquals(4, lines.size(), run.result().toString());
    for (String line : lines) {
      String[] nameAndLink = line.split(" ", 2);
      String host = link("/proc/self/ns/" + nameAndLink[0]);
      assertTrue(nameAndLink[1].startsWith(nameAndLink[0] + ":["), line);
      assertNotEquals(host, nameAndLink[1], "the app shares the host's " + nameAndLink[0]
          + " namespace");
    }
  }

  // ---- volumes ----

  @Test
  void readOnlyHostVolumeIsReadOnlyInside() throws IOException {
    Path host = directory("ro-volume");
    Files.writeString(host.resolve("f"), "host content\n");
    Path aci = image("ns-ro", "cat /data/f; if touch /data/new 2>/dev/null; then echo wrote; "
        + "else echo refused; fi");

    Jrkt.PodRun run = nspawn("--volume=data,kind=host,source=" + host + ",readOnly=true",
        aci.toString(), "--mount=volume=data,target=/data");

    run.result().ok();
    assertEquals(List.of("host content", "refused"), run.result().lines(),
        run.result().toString());
    assertFalse(Files.exists(host.resolve("new")));
  }

  @Test
  void writableHostVolumeReachesTheHost() {
    Path host = directory("rw-volume");
    Path aci = image("ns-rw", "echo written > /data/out");

    Jrkt.PodRun run = nspawn("--volume=data,kind=host,source=" + host, aci.toString(),
        "--mount=volume=data,target=/data");

    run.result().ok();
    assertEquals("written\n", Jrkt.read(host.resolve("out")));
  }

  @Test
  void emptyVolumeIsSharedByTwoApps() {
    Path writer = image("ns-writer", "echo shared-data > /s/f");
    Path reader = image("ns-reader", "i=0; while [ ! -s /s/f ] && [ $i -lt 100 ]; do "
        + "sleep 0.1; i=$((i+1)); done; echo \"reader saw $(cat /s/f)\"");

    Jrkt.PodRun run = nspawn("--volume=shared,kind=empty", writer.toString(),
        "--mount=volume=shared,target=/s", "---", reader.toString(),
        "--mount=volume=shared,target=/s");

    run.result().ok();
    assertEquals(List.of("reader saw shared-data"), run.result().lines(),
        run.result().toString());
  }

  // ---- isolators ----

  @Test
  void removedCapabilityIsEnforced() {
    String script = "touch /tmp/x; if /bin/busybox chown 1:1 /tmp/x; then echo chowned; fi";
    Path aci = image("ns-caps", script);

    Jrkt.PodRun without = nspawn(aci.toString(), "--caps-remove=CAP_CHOWN");
    Jrkt.PodRun with = nspawn(aci.toString());

    without.result().ok();
    assertEquals(List.of(), without.result().lines(), without.result().toString());
    assertTrue(without.result().err().contains("Operation not permitted"),
        without.result().toString());
    with.result().ok();
    assertEquals(List.of("chowned"), with.result().lines(), "rkt's default set keeps CAP_CHOWN: "
        + with.result());
  }

  @Test
  void appAboveItsMemoryLimitIsOomKilled() {
    Path aci = image("ns-mem", "s=xxxxxxxxxxxxxxxx; while :; do s=$s$s; done");

    Jrkt.PodRun run = nspawn(aci.toString(), "--memory=32M");

    run.result().exits(137);
    assertEquals("137", status(run.requireUuid()).get("app-ns-mem"));
  }

  @Test
  void oomScoreAdjustmentIsSet() {
    Path aci = image("ns-oom", "cat /proc/self/oom_score_adj");

    Jrkt.PodRun run = nspawn(aci.toString(), "--oom-score-adj=500");

    run.result().ok();
    assertEquals(List.of("500"), run.result().lines(), run.result().toString());
  }

  @Test
  void noNewPrivilegesFromTheImageIsSet() {
    String script = "/bin/busybox grep NoNewPrivs /proc/self/status";
    Path with = Aci.busybox("example.com/ns-nnp").shell(script)
        .isolator("os/linux/no-new-privileges", "true").write(jrkt.work(), "ns-nnp.aci");
    Path without = image("ns-nnp-off", script);

    // The default seccomp filter implies no_new_privs for apps without CAP_SYS_ADMIN (as
    // systemd's SystemCallFilter= does), so the isolator itself is shown with seccomp off.
    Jrkt.PodRun on = nspawn("--insecure-options=image,seccomp", with.toString());
    Jrkt.PodRun off = nspawn("--insecure-options=image,seccomp", without.toString());
    Jrkt.PodRun filtered = nspawn(without.toString());

    on.result().ok();
    assertEquals(List.of("NoNewPrivs:\t1"), on.result().lines(), on.result().toString());
    off.result().ok();
    assertEquals(List.of("NoNewPrivs:\t0"), off.result().lines(), off.result().toString());
    filtered.result().ok();
    assertEquals(List.of("NoNewPrivs:\t1"), filtered.result().lines(),
        filtered.result().toString());
  }

  @Test
  void cpuLimitIsTheAppsCgroupQuota() {
    Path aci = image("ns-cpu", "/bin/busybox grep -E '^[0-9]+:([a-z,]*,)?cpu(,[a-z]*)?:' "
        + "/proc/self/cgroup");

    Jrkt.PodRun run = nspawn(aci.toString(), "--cpu=500m");

    run.result().ok();
    String uuid = run.requireUuid();
    List<String> recorded = lines(podDir(uuid).resolve("app-cgroups"));
    Path appCgroup = recorded.stream().map(Path::of)
        .filter(p -> p.startsWith("/sys/fs/cgroup/cpu") && p.endsWith("app-ns-cpu")
            && Files.exists(p.resolve("cpu.cfs_quota_us")))
        .findFirst().orElseThrow(() -> new AssertionError("no cpu cgroup recorded: " + recorded));
    assertEquals("50000", Jrkt.read(appCgroup.resolve("cpu.cfs_quota_us")).trim());
    assertEquals("100000", Jrkt.read(appCgroup.resolve("cpu.cfs_period_us")).trim());
    assertEquals(1, run.result().lines().size(), run.result().toString());
    assertTrue(run.result().lines().get(0).endsWith("/rkt-" + uuid + "/app-ns-cpu"),
        "the app ran in its cpu cgroup: " + run.result().lines());
  }

  @Test
  void readOnlyRootfsIsReadOnlyButTmpIsNot() {
    Path aci = image("ns-rorootfs", "if touch /x 2>/dev/null; then echo root-writable; "
        + "else echo root-refused; fi; touch /tmp/y && echo tmp-writable");

    Jrkt.PodRun run = nspawn(aci.toString(), "--readonly-rootfs=true");

    run.result().ok();
    assertEquals(List.of("root-refused", "tmp-writable"), run.result().lines(),
        run.result().toString());
  }

  // ---- enter, stop ----

  @Test
  void enterStopAndTheirRefusals() {
    Path ready = directory("enter-ready");
    String wait = "i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done";
    Path one = image("ns-enter-one", "touch /ready/one; " + wait);
    Path two = image("ns-enter-two", "touch /ready/two; " + wait);
    Background pod = nspawnInBackground("--volume=ready,kind=host,source=" + ready,
        one.toString(), "--mount=volume=ready,target=/ready", "---", two.toString(),
        "--mount=volume=ready,target=/ready");
    waitFor(ready.resolve("one"), false, pod.running());
    waitFor(ready.resolve("two"), false, pod.running());
    String uuid = pod.uuid();
    assertEquals("running", status(uuid).get("state"));

    Result code = jrkt.run("enter", "--app=ns-enter-one", uuid, "/bin/sh", "-c", "exit 7");
    Result ns = jrkt.run("enter", "--app=ns-enter-two", uuid, "/bin/busybox", "readlink",
        "/proc/self/ns/pid");
    Result shell = jrkt.run("enter", "--app=ns-enter-one", uuid);
    Result noApp = jrkt.run("enter", uuid, "/bin/true");
    Result stop = jrkt.run("stop", uuid);
    Result podResult = pod.running().await(Jrkt.TIMEOUT);

    code.exits(7);
    ns.ok();
    assertEquals(1, ns.lines().size(), ns.toString());
    assertNotEquals(link("/proc/self/ns/pid"), ns.lines().get(0), "enter joins the pod's pid "
        + "namespace");
    shell.ok(); // the default shell (/bin/sh: the image has no bash) reads EOF from /dev/null
    noApp.rejected();
    assertTrue(noApp.err().contains("--app") && noApp.err().contains("ns-enter-one")
        && noApp.err().contains("ns-enter-two"), noApp.toString());
    stop.ok();
    assertEquals(List.of("\"" + uuid + "\""), stop.lines(), stop.toString());
    podResult.exits(143);
    Map<String, String> status = status(uuid);
    assertEquals("exited", status.get("state"), status.toString());
    assertEquals("143", status.get("app-ns-enter-one"), status.toString());
    assertEquals("143", status.get("app-ns-enter-two"), status.toString());

    Result again = jrkt.run("stop", uuid);
    assertTrue(again.err().contains("pod \"" + uuid + "\" is already stopped"), again.toString());
    jrkt.run("enter", "--app=ns-enter-one", uuid, "/bin/true").rejected();
  }

  // ---- bad input ----

  @Test
  void badInputIsRefusedWithOneLineAndNoPodLeft() {
    Path aci = image("ns-bad", "true");
    Path missing = jrkt.work().resolve("no-such-source");
    List<String> before = jrkt.podDirs();

    Result source = nspawn("--volume=data,kind=host,source=" + missing, aci.toString(),
        "--mount=volume=data,target=/data").result().rejected();
    Result unknown = nspawn(aci.toString(), "--mount=volume=nope,target=/x").result().rejected();
    Result memory = nspawn(aci.toString(), "--memory=1M").result().rejected();
    Result caps = nspawn(aci.toString(), "--caps-retain=CAP_CHOWN", "--caps-remove=CAP_KILL")
        .result().rejected();

    assertTrue(source.err().contains(missing.toString()) && source.err().contains("data")
        && source.err().contains("does not exist"), source.toString());
    assertTrue(unknown.err().contains("\"nope\""), unknown.toString());
    assertTrue(memory.err().contains("1M") && memory.err().contains("minimum"),
        memory.toString());
    assertTrue(caps.err().contains("--caps-retain") && caps.err().contains("--caps-remove"),
        caps.toString());
    assertEquals(before, jrkt.podDirs(), "a refused pod leaves no pod directory");
  }

  // ---- gc ----

  @Test
  void gcRemovesEveryCgroupThePodRecorded() {
    Path aci = image("ns-gc", "true");
    Jrkt.PodRun run = nspawn(aci.toString(), "--memory=64M", "--cpu=200m");
    run.result().ok();
    String uuid = run.requireUuid();
    Path pod = podDir(uuid);
    List<Path> appCgroups = lines(pod.resolve("app-cgroups")).stream().map(Path::of).toList();
    String subcgroup = Jrkt.read(pod.resolve("subcgroup")).trim();
    List<Path> podCgroups = hierarchies().stream().map(h -> h.resolve(subcgroup))
        .filter(Files::isDirectory).toList();
    assertTrue(appCgroups.stream().anyMatch(p -> p.toString().contains("/memory/")),
        appCgroups.toString());
    assertTrue(appCgroups.stream().allMatch(Files::isDirectory), "before gc: " + appCgroups);
    assertFalse(podCgroups.isEmpty(), "the pod's cgroup " + subcgroup + " exists somewhere");

    jrkt.run("gc", "--grace-period=0s").ok();

    assertFalse(Files.exists(pod), "gc removed the pod");
    assertEquals(List.of(), appCgroups.stream().filter(Files::exists).toList());
    assertEquals(List.of(), hierarchies().stream().map(h -> h.resolve(subcgroup))
        .filter(Files::exists).toList());
  }

  @Test
  void killingNspawnEndsThePodAndGcRemovesItsCgroups() {
    Path aci = image("ns-kill", "sleep 300");
    Background pod = nspawnInBackground(aci.toString());
    Path dir = podDir(pod.uuid());
    waitFor(dir.resolve("subcgroup"), true, pod.running());
    String subcgroup = Jrkt.read(dir.resolve("subcgroup")).trim();
    Path cgroup = Path.of("/sys/fs/cgroup/systemd").resolve(subcgroup);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    // nspawn, the supervisor and the app, found from what the pod recorded
    List<Long> pids = processesBelow(cgroup);
    while (pids.size() < 3 && System.nanoTime() < deadline) {
      sleep(20);
      pids = processesBelow(cgroup);
    }
    assertEquals(3, pids.size(), "nspawn, supervisor and app in " + cgroup + ": " + pids);
    long nspawn = Long.parseLong(Jrkt.read(dir.resolve("ppid")).trim());
    String cmdline = Jrkt.read(Path.of("/proc/" + nspawn + "/cmdline")).replace('\0', ' ');
    assertTrue(cmdline.contains("systemd-nspawn") && cmdline.contains(dir.toString()), cmdline);
    assertTrue(pids.contains(nspawn), pids.toString());

    try {
      assertEquals(0, Jrkt.exec(List.of("kill", "-9", Long.toString(nspawn))));

      List<Long> all = pids;
      deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while ((all.stream().anyMatch(NspawnTest::alive) || !processesBelow(cgroup).isEmpty())
          && System.nanoTime() < deadline) {
        sleep(20);
      }
      assertEquals(List.of(), all.stream().filter(NspawnTest::alive).toList(),
          "no process of the pod is left 5 s after nspawn was killed");
      assertEquals(List.of(), processesBelow(cgroup));
    } finally {
      // Should the pod outlive nspawn, end what is left of it: the harness's cleanup would not
      // (the pod no longer counts as running once nspawn, which held its lock, is gone).
      processesBelow(cgroup).forEach(p -> Jrkt.exec(List.of("kill", "-9", Long.toString(p))));
    }
    pod.running().await(Jrkt.TIMEOUT).exits(137);
    assertEquals("exited", status(pod.uuid()).get("state"));

    jrkt.run("gc", "--grace-period=0s").ok();

    assertFalse(Files.exists(dir), "gc removed the pod");
    assertEquals(List.of(), hierarchies().stream().map(h -> h.resolve(subcgroup))
        .filter(Files::exists).toList());
  }

  /** The processes in a cgroup and its descendants (none once it is gone). */
  private static List<Long> processesBelow(Path cgroup) {
    if (!Files.isDirectory(cgroup)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(cgroup)) {
      return s.filter(p -> p.getFileName().toString().equals("cgroup.procs"))
          .flatMap(p -> Jrkt.read(p).lines()).filter(l -> !l.isBlank()).map(Long::parseLong)
          .toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of(); // removed while walking
    }
  }

  /** Running or sleeping: a zombie waiting for its reaper counts as gone. */
  private static boolean alive(long pid) {
    String stat = TestNode.readQuietly(Path.of("/proc/" + pid + "/stat"));
    int close = stat.lastIndexOf(')');
    return close > 0 && stat.length() > close + 2 && stat.charAt(close + 2) != 'Z';
  }

  /** The mounted cgroup hierarchies (v1 controllers, name=systemd, unified). */
  private static List<Path> hierarchies() {
    try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
      return s.filter(p -> Files.isDirectory(p) && !Files.isSymbolicLink(p)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
