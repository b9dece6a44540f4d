package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VM pods of stage1-kvm ({@code bin/stage1-kvm.aci}) through the real CLI, with real qemu,
 * virtiofsd and Debian's cloud kernel. They run with {@code --kvm-accel=auto}: KVM where it is
 * usable, qemu's software emulation (TCG) elsewhere, with the same qemu, kernel, initramfs and
 * code path. A TCG boot takes seconds and both cores, so the class boots few VMs, one at a time.
 */
class KvmTest extends FunctionalTest {
  private static final String KVM = "--stage1-name=coreos.com/rkt/stage1-kvm";
  private static final String AUTO = "--kvm-accel=auto";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private Path stage1;
  private int uuidFiles;

  @BeforeAll
  void findStage1() {
    stage1 = KvmStage1.assumeRunnable(jrkt);
  }

  // ---- helpers ----

  private Path uuidFile() {
    return jrkt.work().resolve("kvm-uuid-" + (++uuidFiles));
  }

  private Jrkt.PodRun vm(String... args) {
    Path uuidFile = uuidFile();
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run", KVM, AUTO,
        "--uuid-file-save=" + uuidFile));
    cmd.addAll(List.of(args));
    Result r = jrkt.run(cmd);
    return new Jrkt.PodRun(r, Files.exists(uuidFile) ? Jrkt.read(uuidFile).trim() : null);
  }

  private record Background(Jrkt.Running running, String uuid) {}

  /** A pod started in the background, once its VM's qemu runs (its pid is recorded). */
  private Background vmInBackground(String... args) {
    Path uuidFile = uuidFile();
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run", KVM, AUTO,
        "--uuid-file-save=" + uuidFile));
    cmd.addAll(List.of(args));
    Jrkt.Running running = jrkt.start(cmd);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!Files.exists(uuidFile) || Jrkt.read(uuidFile).isBlank()
        || !Files.exists(podDir(Jrkt.read(uuidFile).trim()).resolve("pid"))) {
      if (!running.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + running.await(Duration.ofSeconds(1)));
      }
      if (System.nanoTime() > deadline) {
        running.process().destroyForcibly();
        throw new AssertionError("the VM did not start within " + READY_TIMEOUT);
      }
      sleep(50);
    }
    return new Background(running, Jrkt.read(uuidFile).trim());
  }

  /** An enter succeeds once the guest's init serves the agent, i.e. the apps run. */
  private void waitUntilTheGuestRuns(String uuid) {
    for (int i = 0; jrkt.run("enter", uuid, "/bin/true").exit() != 0; i++) {
      if (i > 20) {
        throw new AssertionError("the guest of pod " + uuid + " does not answer enter");
      }
      sleep(200);
    }
  }

  private Path podDir(String uuid) {
    return jrkt.data().resolve("pods/run").resolve(uuid);
  }

  private Path image(String name, String script) {
    return Aci.busybox("example.com/" + name).shell(script).write(jrkt.work(), name + ".aci");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static long pidIn(Path file) {
    return Long.parseLong(Jrkt.read(file).trim());
  }

  /** What `stage1 kvm-check` says a pod with --kvm-accel=auto gets here: kvm or tcg. */
  private String expectedAccel() {
    Result check = jrkt.run("stage1", "kvm-check", AUTO).ok();
    return check.lines().get(0).split(":", 2)[0];
  }

  // ---- runs ----

  @Test
  void trueRunsInItsOwnKernelAndTheAcceleratorIsShown() {
    Path aci = image("kvm-true", "uname -r; hostname; /bin/true");
    String accel = expectedAccel();

    Jrkt.PodRun run = vm("--debug", aci.toString());

    run.result().ok();
    assertEquals(2, run.result().lines().size(), run.result().toString());
    assertEquals("rkt-" + run.requireUuid(), run.result().lines().get(1), "the pod's hostname");
    String guestKernel = run.result().lines().get(0);
    assertTrue(guestKernel.endsWith("-cloud-amd64"), "Debian's cloud kernel: " + guestKernel);
    assertTrue(run.result().err().contains("stage1-kvm: accelerator " + accel + ":"),
        run.result().toString());
    assertTrue(run.result().err().contains("flavor kvm"), run.result().toString());
    Map<String, String> status = status(run.requireUuid());
    assertEquals("exited", status.get("state"), status.toString());
    assertEquals("0", status.get("app-kvm-true"), status.toString());
    assertTrue(status.get("stage1-accel").startsWith(accel + ":"), status.toString());
    String manifest = jrkt.run("cat-manifest", run.requireUuid()).ok().out();
    assertTrue(manifest.contains("jrkt.io/stage1-kvm-accel") && manifest.contains("\"" + accel
        + ": "), manifest);
  }

  @Test
  void twoAppPodOutputAndExitCodesFollowRktsRule() {
    Path a = image("kvm-a", "echo out-a $(hostname); i=0; while [ $i -lt 600 ]; do sleep 0.1; "
        + "i=$((i+1)); done");
    Path b = image("kvm-b", "echo out-b; echo err-b >&2; sleep 1; exit 3");

    Jrkt.PodRun run = vm("--hostname=kvm-pod", a.toString(), "---", b.toString());

    run.result().exits(3);
    // each app has its own ports; both reach the pod's stdout and stderr
    assertEquals(List.of("out-a kvm-pod", "out-b"),
        run.result().lines().stream().sorted().toList(), run.result().toString());
    assertTrue(run.result().err().contains("err-b") && !run.result().err().contains("out-"),
        run.result().toString());
    Map<String, String> status = status(run.requireUuid());
    assertEquals("3", status.get("app-kvm-b"), status.toString());
    assertEquals("143", status.get("app-kvm-a"), "the failing app stops the others: " + status);
  }

  @Test
  void hostVolumesAreSharedIntoTheVm() throws IOException {
    Path rw = Files.createDirectories(jrkt.work().resolve("kvm-rw"));
    Path ro = Files.createDirectories(jrkt.work().resolve("kvm-ro"));
    Files.writeString(ro.resolve("f"), "host content\n");
    Path aci = image("kvm-vol", "cat /ro/f; "
        + "if touch /ro/new 2>/dev/null; then echo wrote; else echo refused; fi; "
        + "echo written > /rw/out; while [ ! -e /rw/go ]; do sleep 0.1; done");

    Background pod = vmInBackground("--volume=rw,kind=host,source=" + rw,
        "--volume=ro,kind=host,source=" + ro + ",readOnly=true", aci.toString(),
        "--mount=volume=rw,target=/rw", "--mount=volume=ro,target=/ro");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!Files.exists(rw.resolve("out")) && System.nanoTime() < deadline) {
      sleep(100);
    }
    // The share itself is read-only: virtiofsd serves the read-only volume from a read-only
    // bind in /run's mount namespace; the writable one stays as it is.
    Map<String, String> options = mountOptions(pidIn(podDir(pod.uuid()).resolve("ppid")));
    Files.writeString(rw.resolve("go"), "");
    Result r = pod.running().await(READY_TIMEOUT);

    r.ok();
    assertEquals(List.of("host content", "refused"), r.lines(), r.toString());
    assertEquals("written\n", Jrkt.read(rw.resolve("out")));
    assertFalse(Files.exists(ro.resolve("new")));
    assertTrue(options.getOrDefault(ro.toString(), "").startsWith("ro,"),
        "the read-only volume's share in /run's namespace: " + options.get(ro.toString()));
    assertFalse(options.getOrDefault(rw.toString(), "rw,").startsWith("ro,"),
        "the writable volume's share: " + options.get(rw.toString()));
    assertFalse(Jrkt.read(Path.of("/proc/self/mountinfo")).contains(" " + ro + " "),
        "the bind stays in the pod's own mount namespace");
  }

  /** Mount point to per-mount options, from a process's mountinfo. */
  private static Map<String, String> mountOptions(long pid) {
    Map<String, String> options = new java.util.HashMap<>();
    for (String line : Jrkt.read(Path.of("/proc/" + pid + "/mountinfo")).split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 5) {
        options.put(f[4], f[5]);
      }
    }
    return options;
  }

  // ---- root filesystems ----

  private static boolean containsFile(Path dir, String name) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path treeRootfs(Path podDir, String idFile) {
    return jrkt.data().resolve("cas/tree").resolve(Jrkt.read(podDir.resolve(idFile)).trim())
        .resolve("rootfs");
  }

  @Test
  void vmPodsOfOneImageShareItsTreeAndWriteIntoTheirUpperLayers() {
    Path aci = Aci.busybox("example.com/kvm-writer").file("etc/removeme", "x")
        .shell("echo written-by-app > /written; rm /etc/removeme; cat /etc/removeme 2>&1; "
            + "exit 5")
        .write(jrkt.work(), "kvm-writer.aci");
    jrkt.fetch(aci);

    Jrkt.PodRun first = vm("example.com/kvm-writer");
    Jrkt.PodRun second = vm("example.com/kvm-writer");

    for (Jrkt.PodRun run : List.of(first, second)) {
      run.result().exits(5);
      assertEquals("5", status(run.requireUuid()).get("app-kvm-writer"), run.toString());
      Path pod = podDir(run.requireUuid());
      assertTrue(Files.exists(pod.resolve("overlay-prepared")), "an overlay pod");
      String appTree = Jrkt.read(pod.resolve("appsinfo/kvm-writer/treeStoreID")).trim();
      Path upper = pod.resolve("overlay").resolve(appTree).resolve("upper/kvm-writer");
      assertEquals("written-by-app\n", Jrkt.read(upper.resolve("written")));
      assertTrue(Files.exists(upper.resolve("etc/removeme"),
          java.nio.file.LinkOption.NOFOLLOW_LINKS), "a deletion is a whiteout in the upper layer");
      Path tree = treeRootfs(pod, "appsinfo/kvm-writer/treeStoreID");
      assertFalse(Files.exists(tree.resolve("written")), "the store's tree stays untouched");
      assertTrue(Files.exists(tree.resolve("etc/removeme")));
      assertFalse(containsFile(pod, "busybox"), "no app file is copied into the pod");
      assertFalse(containsFile(pod, "vmlinux"), "the guest kernel is not copied into the pod");
      String stage1Tree = Jrkt.read(pod.resolve("stage1TreeStoreID")).trim();
      assertEquals("5", Jrkt.read(pod.resolve("overlay").resolve(stage1Tree)
          .resolve("upper/rkt/status/kvm-writer")).trim(), "the guest writes the exit code into"
          + " the stage1's upper layer");
    }
    assertEquals(List.of(), jrkt.mountsBelowRoot(), "nothing stays mounted in the host");
  }

  @Test
  void withoutOverlaysTheKernelIsLinkedAndReadOnlyForTheVm() throws IOException {
    Background pod = vmInBackground("--no-overlay", image("kvm-copied", "sleep 120").toString());
    Path dir = podDir(pod.uuid());
    try {
      waitUntilTheGuestRuns(pod.uuid());
      assertFalse(Files.exists(dir.resolve("overlay-prepared")));
      assertTrue(Files.isRegularFile(dir.resolve(
          "stage1/rootfs/opt/stage2/kvm-copied/rootfs/bin/busybox")), "the app's tree is copied");
      Path stage1Tree = treeRootfs(dir, "stage1TreeStoreID");
      for (String f : List.of("kernel/vmlinux", "kernel/initramfs")) {
        assertTrue(Files.isSameFile(dir.resolve("stage1/rootfs").resolve(f),
            stage1Tree.resolve(f)), f + " is a hard link to the store's, not a copy");
      }
      // virtiofsd, which serves the pod directory to the guest, sees the kernel read-only.
      long virtiofsd = pidIn(dir.resolve("vm/virtiofsd.pid"));
      String mountinfo = Jrkt.read(Path.of("/proc/" + virtiofsd + "/mountinfo"));
      assertTrue(mountinfo.lines().map(l -> l.split(" ")).anyMatch(f ->
          f[4].endsWith("/stage1/rootfs/kernel") && ("," + f[5] + ",").contains(",ro,")),
          "a read-only mount of the kernel directory:\n" + mountinfo);
      Result write = jrkt.run("enter", pod.uuid(), "/bin/sh", "-c", "echo x > /probe; cat /probe");
      assertEquals(List.of("x"), write.ok().lines());
    } finally {
      jrkt.run("stop", pod.uuid());
      pod.running().await(Jrkt.TIMEOUT);
    }
    Path storeKernel = treeRootfs(dir, "stage1TreeStoreID").resolve("kernel/vmlinux");
    jrkt.run("gc", "--grace-period=0s").ok();
    assertTrue(Files.isRegularFile(storeKernel), "the store's kernel outlives the pod");
    assertFalse(Files.exists(dir), "gc removed the pod directory");
  }

  // ---- enter, stop ----

  @Test
  void enterRunsInTheAppAndStopEndsThePodInOrder() {
    Path aci = Aci.busybox("example.com/kvm-enter").env("GREETING", "hello-from-env")
        .exec("/bin/sh", "-c", "i=0; while [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done")
        .write(jrkt.work(), "kvm-enter.aci");
    Background pod = vmInBackground(aci.toString());
    String uuid = pod.uuid();
    assertEquals("running", status(uuid).get("state"));

    Result enter = jrkt.run("enter", uuid, "/bin/sh", "-c",
        "echo \"$GREETING\"; cat /proc/1/comm; echo to-err >&2; exit 7");
    // A client that goes away in the middle of a chatty command: the guest kills the command
    // and serves the next client.
    Jrkt.Running chatty = jrkt.start(List.of("enter", uuid, "/bin/sh", "-c",
        "while true; do echo chatter; sleep 0.05; done"));
    sleep(1500);
    chatty.kill9();
    Result after = jrkt.run("enter", uuid, "/bin/sh", "-c", "echo still-served");
    Result stop = jrkt.run("stop", uuid);
    Result podResult = pod.running().await(Jrkt.TIMEOUT);

    enter.exits(7);
    assertEquals(List.of("hello-from-env", "init"), enter.lines(), enter.toString());
    assertTrue(enter.err().contains("to-err"), enter.toString());
    after.ok();
    assertEquals(List.of("still-served"), after.lines(), after.toString());
    stop.ok();
    podResult.exits(143);
    assertEquals("143", status(uuid).get("app-kvm-enter"));
    jrkt.run("enter", uuid, "/bin/true").rejected();
  }

  @Test
  void stopForceKillsQemu() {
    Background pod = vmInBackground(image("kvm-force", "sleep 120").toString());
    long qemu = pidIn(podDir(pod.uuid()).resolve("pid"));
    assertTrue(alive(qemu));

    jrkt.run("stop", "--force", pod.uuid()).ok();
    Result podResult = pod.running().await(Jrkt.TIMEOUT);

    podResult.rejected();
    assertTrue(podResult.err().contains("killed by signal 9"), podResult.toString());
    assertFalse(alive(qemu), "qemu is gone");
    assertEquals("exited", status(pod.uuid()).get("state"));
  }

  @Test
  void killMinus9OfQemuEndsThePodAndGcCleansUp() {
    Background pod = vmInBackground(image("kvm-kill", "sleep 120").toString());
    Path dir = podDir(pod.uuid());
    long qemu = pidIn(dir.resolve("pid"));
    long virtiofsd = pidIn(dir.resolve("vm/virtiofsd.pid"));

    assertEquals(0, Jrkt.exec(List.of("kill", "-9", Long.toString(qemu))));
    Result podResult = pod.running().await(Jrkt.TIMEOUT);

    podResult.rejected();
    assertTrue(podResult.err().contains("qemu was killed by signal 9"), podResult.toString());
    assertFalse(alive(virtiofsd), "virtiofsd ends with the pod");
    assertEquals("exited", status(pod.uuid()).get("state"));
    jrkt.run("gc", "--grace-period=0s").ok();
    assertFalse(Files.exists(dir), "gc removed the pod directory");
    assertTrue(jrkt.run("status", pod.uuid()).exit() != 0, "the pod is gone");
  }

  @Test
  void untrustedWorkloadsAndTheKubeletsOverrideRunInAVmButNotOnTheHostNetwork() {
    Aci aci = Aci.busybox("example.com/kvm-untrusted").exec("/bin/sh", "-c",
        "echo untrusted; exit 7");
    jrkt.fetch(aci.write(jrkt.work(), "kvm-untrusted.aci"));
    Path manifest = Aci.writeBytes(jrkt.work().resolve("untrusted.json"), ("{\"acKind\":"
        + "\"PodManifest\",\"acVersion\":\"0.8.11\",\"apps\":[{\"name\":\"app\",\"image\":"
        + "{\"id\":\"" + aci.imageId() + "\"}}],\"annotations\":[{\"name\":"
        + "\"io.kubernetes.cri.untrusted-workload\",\"value\":\"true\"}]}").getBytes());

    Path override = Aci.writeBytes(jrkt.work().resolve("override.json"), ("{\"acKind\":"
        + "\"PodManifest\",\"acVersion\":\"0.8.11\",\"apps\":[{\"name\":\"app\",\"image\":"
        + "{\"id\":\"" + aci.imageId() + "\"}}],\"annotations\":[{\"name\":"
        + "\"rkt.alpha.kubernetes.io/stage1-name-override\",\"value\":"
        + "\"coreos.com/rkt/stage1-kvm\"}]}").getBytes());

    Result vm = jrkt.run(Jrkt.INSECURE, "--debug", "run", AUTO, "--pod-manifest=" + manifest);
    Result overridden = jrkt.run(Jrkt.INSECURE, "--debug", "run", AUTO,
        "--pod-manifest=" + override);
    Result host = jrkt.run(Jrkt.INSECURE, "--debug", "run", "--net=host",
        "--pod-manifest=" + manifest);

    vm.exits(7);
    assertEquals(List.of("untrusted"), vm.lines(), vm.toString());
    assertTrue(vm.err().contains("untrusted workload") && vm.err().contains("flavor kvm"),
        vm.toString());
    assertTrue(host.err().contains("host's network") && !host.err().contains("flavor kvm"),
        host.toString());
    overridden.exits(7);
    assertTrue(overridden.err().contains("flavor kvm"), overridden.toString());
  }

  // ---- faults ----

  @Test
  void killMinus9OfTheRunProcessTakesTheVmWithIt() {
    Background pod = vmInBackground(image("kvm-kill-run", "sleep 120").toString());
    Path dir = podDir(pod.uuid());
    long qemu = pidIn(dir.resolve("pid"));
    long virtiofsd = pidIn(dir.resolve("vm/virtiofsd.pid"));

    pod.running().kill9(); // jrkt run exec'd the stage1's /run: this kills it

    for (int i = 0; i < 100 && (alive(qemu) || alive(virtiofsd)); i++) {
      sleep(50);
    }
    assertFalse(alive(qemu), "qemu dies with /run");
    assertFalse(alive(virtiofsd), "virtiofsd dies with /run");
    assertEquals("exited", status(pod.uuid()).get("state"));
    jrkt.run("gc", "--grace-period=0s").ok();
    assertFalse(Files.exists(dir), "gc removed the pod directory");
  }

  @Test
  void virtiofsdDyingUnderARunningVmEndsThePod() {
    Background pod = vmInBackground(image("kvm-fsd", "sleep 120").toString());
    long virtiofsd = pidIn(podDir(pod.uuid()).resolve("vm/virtiofsd.pid"));
    waitUntilTheGuestRuns(pod.uuid());

    assertEquals(0, Jrkt.exec(List.of("kill", "-9", Long.toString(virtiofsd))));
    Result podResult = pod.running().await(Jrkt.TIMEOUT);

    podResult.exits(254);
    assertTrue(podResult.err().contains("virtiofsd exited"), podResult.toString());
    assertEquals("exited", status(pod.uuid()).get("state"));
  }

  @Test
  void aBootTimeoutEndsThePodAndKillsQemu() throws IOException {
    Path config = Files.createDirectories(jrkt.work().resolve("kvm-timeout-config/stage1-kvm.d"));
    Files.writeString(config.resolve("timeout.json"),
        "{\"rktKind\":\"stage1-kvm\",\"rktVersion\":\"v1\",\"bootTimeoutSeconds\":1}");
    Path uuidFile = uuidFile();
    Path aci = image("kvm-timeout", "true");

    Result r = jrkt.run(Jrkt.INSECURE, "--local-config=" + config.getParent(), "run", KVM,
        "--kvm-accel=tcg", "--uuid-file-save=" + uuidFile, aci.toString());

    r.rejected();
    assertTrue(r.err().contains("did not start the apps within 1000 ms"), r.toString());
    String uuid = Jrkt.read(uuidFile).trim();
    assertFalse(alive(pidIn(podDir(uuid).resolve("pid"))), "qemu was killed");
    assertEquals("exited", status(uuid).get("state"));
  }

  @Test
  void aFailingGuestInitEndsThePodWithAnError() throws IOException {
    Path aci = image("kvm-broken", "true");
    // Copied trees: the app's root can be taken away in the pod directory.
    Result prepared = jrkt.run(Jrkt.INSECURE, "prepare", "--quiet", "--no-overlay", KVM, AUTO,
        aci.toString()).ok();
    String uuid = prepared.lines().get(0).trim();
    // The guest's init cannot open the app's root: it dies before any app starts.
    Path rootfs = jrkt.data().resolve("pods/prepared").resolve(uuid)
        .resolve("stage1/rootfs/opt/stage2/kvm-broken/rootfs");
    assertEquals(0, Jrkt.exec(List.of("rm", "-rf", rootfs.toString())));

    Result r = jrkt.run("run-prepared", uuid);

    // Two lines: the guest's own error, then the host's account of the VM's end.
    r.exits(254);
    assertTrue(r.err().contains("open rootfs"), r.toString());
    assertTrue(r.err().contains("before the apps started"), r.toString());
    assertEquals("exited", status(uuid).get("state"));
  }

  // ---- refusals ----

  @Test
  void refusalsAreOneLineAndLeaveNoPod() throws IOException {
    Path aci = image("kvm-refused", "true");
    List<String> before = jrkt.podDirs();

    Result host = vm("--net=host", aci.toString()).result().rejected();
    Result badAccel = vm("--kvm-accel=fast", aci.toString()).result().rejected();
    Path file = Files.writeString(jrkt.work().resolve("kvm-file-volume"), "x");
    Result fileVolume = vm("--volume=f,kind=host,source=" + file, aci.toString(),
        "--mount=volume=f,target=/f").result().rejected();
    Path bareStage1 = withoutKernel();
    Result noKernel = jrkt.run(Jrkt.INSECURE, "run", "--stage1-path=" + bareStage1, AUTO,
        aci.toString()).rejected();

    assertTrue(host.err().contains("--net=host") && host.err().contains("VM"), host.toString());
    assertTrue(badAccel.err().contains("--kvm-accel=fast"), badAccel.toString());
    assertTrue(noKernel.err().contains("kernel missing"), noKernel.toString());
    assertTrue(fileVolume.err().contains("not a directory"), fileVolume.toString());
    for (Result r : List.of(host, badAccel, noKernel, fileVolume)) {
      assertEquals(1, r.err().lines().count(), r.toString());
    }
    assertEquals(before, jrkt.podDirs(), "a refused pod leaves no pod directory");
  }

  @Test
  void withoutUsableKvmTheDefaultSettingRefusesAndSaysWhy() {
    Result check = jrkt.run("stage1", "kvm-check");
    assumeTrue(check.exit() != 0, "KVM is usable here: " + check.out());
    Path aci = image("kvm-strict", "true");

    Result r = jrkt.run(Jrkt.INSECURE, "run", KVM, aci.toString()).rejected();

    String reason = check.lines().get(0).substring("none: ".length());
    assertTrue(r.err().contains(reason), "run and kvm-check give the same reason:\n" + r
        + "\n" + check);
    assertTrue(jrkt.run("stage1", "kvm-check", "--kvm-accel=tcg").ok().out().startsWith("tcg: "));
  }

  /** A copy of the stage1 image without its kernel. */
  private Path withoutKernel() throws IOException {
    Path dir = Files.createDirectories(jrkt.work().resolve("bare-stage1"));
    Path out = jrkt.work().resolve("stage1-kvm-no-kernel.aci");
    assertEquals(0, Jrkt.exec(List.of("tar", "-xf", stage1.toString(), "-C", dir.toString())));
    Files.delete(dir.resolve("rootfs/kernel/vmlinux"));
    assertEquals(0, Jrkt.exec(List.of("tar", "-cf", out.toString(), "-C", dir.toString(),
        "manifest", "rootfs")));
    return out;
  }
}
