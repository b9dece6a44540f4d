package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod commands run through {@link Main} against hand-made pod directories. */
class PodCommandsTest {
  private static final String A = "aaaaaaaa-1111-4111-8111-111111111111";
  private static final String B = "bbbbbbbb-2222-4222-8222-222222222222";
  private static final String C = "cccccccc-3333-4333-8333-333333333333";
  private static final String ID = "sha512-" + "0123456789abcdef".repeat(4);

  @TempDir Path tmp;
  private Path pods;
  private final List<Process> lockHolders = new ArrayList<>();
  private String out;
  private String err;

  @BeforeEach
  void setUp() {
    pods = tmp.resolve("data/pods");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : lockHolders) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int jrkt(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    List<String> argv = new ArrayList<>(List.of("--dir=" + tmp.resolve("data")));
    argv.addAll(List.of(args));
    int code = Main.run(argv, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  /** A pod dir with a manifest of {@code apps} (image example.com/<app>:1.0), created at a time. */
  private Path pod(String state, String uuid, Instant created, String... apps) throws Exception {
    Path dir = Files.createDirectories(pods.resolve(state).resolve(uuid));
    StringBuilder m = new StringBuilder("{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\","
        + "\"apps\":[");
    for (int i = 0; i < apps.length; i++) {
      m.append(i > 0 ? "," : "").append("{\"name\":\"").append(apps[i])
          .append("\",\"image\":{\"name\":\"example.com/").append(apps[i]).append("\",\"id\":\"")
          .append(ID).append("\",\"labels\":[{\"name\":\"version\",\"value\":\"1.0\"}]}}");
    }
    m.append("],\"volumes\":null,\"isolators\":null,\"annotations\":null,\"ports\":null}");
    Files.writeString(dir.resolve("pod"), m);
    Path createdFile = Files.createFile(dir.resolve("pod-created"));
    Files.setLastModifiedTime(createdFile, FileTime.from(created));
    return dir;
  }

  private static void started(Path pod, Instant when, int pid) throws Exception {
    Path f = Files.writeString(pod.resolve("pid"), Integer.toString(pid));
    Files.setLastModifiedTime(f, FileTime.from(when));
  }

  private static void exitCode(Path pod, String app, int code) throws Exception {
    Path status = Files.createDirectories(pod.resolve("stage1/rootfs/rkt/status"));
    Files.writeString(status.resolve(app), Integer.toString(code));
  }

  private static void network(Path pod, String name, String ip) throws Exception {
    Files.writeString(pod.resolve("net-info.json"), "[{\"mask\":\"255.255.255.0\",\"netName\":\""
        + name + "\",\"netConf\":\"net/99-default.conf\",\"pluginPath\":\"/usr/lib/cni/ptp\","
        + "\"ifName\":\"eth0\",\"ip\":\"" + ip + "\",\"args\":\"\"}]");
  }

  private void holdLock(Path dir) throws Exception {
    Process p = new ProcessBuilder("flock", "-x", "-o", dir.toString(), "sleep", "60").start();
    lockHolders.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Process probe = new ProcessBuilder("flock", "-n", "-s", dir.toString(), "true").start();
      if (probe.waitFor() != 0) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no lock on " + dir);
  }

  /** A stage1 whose {@code entry} script appends "$PWD $*" to {@code record}. */
  private static void stage1(Path pod, String annotation, String entry, Path record, int exit)
      throws Exception {
    Files.createDirectories(pod.resolve("stage1/rootfs"));
    Files.writeString(pod.resolve("stage1/manifest"), "{\"acKind\":\"ImageManifest\","
        + "\"acVersion\":\"0.8.11\",\"name\":\"coreos.com/rkt/stage1-fly\",\"annotations\":["
        + "{\"name\":\"coreos.com/rkt/stage1/" + annotation + "\",\"value\":\"/" + entry + "\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/interface-version\",\"value\":\"5\"}]}");
    Path script = pod.resolve("stage1/rootfs").resolve(entry);
    Files.writeString(script, "#!/bin/sh\necho \"$PWD $*\" >> " + record + "\nexit " + exit
        + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void listShowsOneRowPerAppWithRktsColumns() throws Exception {
    Instant now = Instant.now();
    pod("prepared", A, now.minusSeconds(130), "web", "db");
    Path exited = pod("run", B, now.minusSeconds(3 * 3600 + 5), "nginx");
    started(exited, now.minusSeconds(3 * 3600), 4242);
    network(exited, "default", "172.16.28.5");
    pod("garbage", C, now, "hidden");
    Path preparing = Files.createDirectories(pods.resolve("prepare").resolve(C.replace('c', 'd')));
    Files.setLastModifiedTime(Files.createFile(preparing.resolve("pod-created")),
        FileTime.from(now.minusSeconds(59)));

    assertEquals(0, jrkt("list"));
    assertEquals(""
        + "UUID\t\tAPP\tIMAGE NAME\t\tSTATE\t\tCREATED\t\tSTARTED\t\tNETWORKS\n"
        + "dddddddd\t-\t-\t\t\taborted prepare\t59 seconds ago\t\t\t\n"
        + "aaaaaaaa\tweb\texample.com/web:1.0\tprepared\t2 minutes ago\t\t\t\n"
        + "\t\tdb\texample.com/db:1.0\t\t\t\t\t\t\t\n"
        + "bbbbbbbb\tnginx\texample.com/nginx:1.0\texited\t\t3 hours ago\t3 hours ago"
        + "\tdefault:ip4=172.16.28.5\n", out);
    assertEquals("", err);

    assertEquals(0, jrkt("list", "--no-legend"));
    assertFalse(out.contains("UUID"));
    assertTrue(out.startsWith("dddddddd\t"), out);
  }

  @Test
  void listFullShowsWholeUuidsImageIdsAndAbsoluteTimes() throws Exception {
    Instant created = Instant.parse("2024-05-06T07:08:09.120Z");
    pod("prepared", A, created, "web");
    assertEquals(0, jrkt("list", "--full", "--no-legend"));
    String time = Humanize.goTime(created);
    assertTrue(time.startsWith("2024-05-0") && time.contains(":08:09.12 "), time);
    assertEquals(new TabWriter().row(A, "web", "example.com/web:1.0", "sha512-0123456789ab",
        "prepared", time, "", "").flush(), out);
  }

  @Test
  void listJsonHasRktsShape() throws Exception {
    Instant created = Instant.ofEpochSecond(1_700_000_000L);
    Path exited = pod("run", B, created, "zeta", "alpha");
    started(exited, Instant.ofEpochSecond(1_700_000_010L), 4242);
    exitCode(exited, "alpha", 3);
    Path status = exited.resolve("stage1/rootfs/rkt/status/alpha");
    Files.setLastModifiedTime(status, FileTime.from(Instant.ofEpochSecond(1_700_000_020L)));
    network(exited, "default", "172.16.28.5");

    assertEquals(0, jrkt("list", "--format=json"));
    assertEquals("[{\"name\":\"" + B + "\",\"state\":\"exited\",\"networks\":[{\"netName\":"
        + "\"default\",\"netConf\":\"net/99-default.conf\",\"pluginPath\":\"/usr/lib/cni/ptp\","
        + "\"ifName\":\"eth0\",\"ip\":\"172.16.28.5\",\"args\":\"\",\"mask\":\"255.255.255.0\"}],"
        + "\"app_names\":[\"zeta\",\"alpha\"],\"apps\":["
        + "{\"name\":\"zeta\",\"state\":\"exited\",\"created_at\":1700000000000000000,"
        + "\"started_at\":1700000010000000000,\"image_id\":\"" + ID + "\"},"
        + "{\"name\":\"alpha\",\"state\":\"exited\",\"created_at\":1700000000000000000,"
        + "\"started_at\":1700000010000000000,\"finished_at\":1700000020000000000,"
        + "\"exit_code\":3,\"image_id\":\"" + ID + "\"}],"
        + "\"created_at\":1700000000,\"started_at\":1700000010}]\n", out);

    assertEquals(0, jrkt("list", "--format=json-pretty"));
    assertTrue(out.startsWith("[\n\t{\n\t\t\"name\": \"" + B + "\",\n"), out);
    assertEquals(254, jrkt("list", "--format=yaml"));
    assertEquals("list: invalid --format \"yaml\": must be json or json-pretty\n", err);
  }

  @Test
  void statusPrintsKeyValueLinesInRktsOrderWithExitCodesInManifestOrder() throws Exception {
    Instant created = Instant.ofEpochSecond(1_700_000_000L);
    Path exited = pod("run", B, created, "zeta", "alpha", "never");
    started(exited, Instant.ofEpochSecond(1_700_000_010L), 4242);
    exitCode(exited, "zeta", 0);
    exitCode(exited, "alpha", 5);

    assertEquals(0, jrkt("status", "bbbb"));
    assertEquals("state=exited\n"
        + "created=" + Humanize.goTime(created) + "\n"
        + "started=" + Humanize.goTime(Instant.ofEpochSecond(1_700_000_010L)) + "\n"
        + "networks=\n"
        + "pid=4242\n"
        + "exited=true\n"
        + "app-zeta=0\n"
        + "app-alpha=5\n", out);

    pod("prepared", A, created, "web");
    assertEquals(0, jrkt("status", A));
    assertEquals("state=prepared\ncreated=" + Humanize.goTime(created) + "\n", out);
  }

  @Test
  void statusOfARunningPodAndWaitingWithATimeout() throws Exception {
    Path running = pod("run", A, Instant.now(), "web");
    started(running, Instant.now(), 77);
    exitCode(running, "web", 1);
    holdLock(running);
    assertEquals(0, jrkt("status", A));
    assertTrue(out.contains("state=running\n") && out.contains("pid=77\nexited=false\n"), out);
    assertFalse(out.contains("app-web"), out);

    long t0 = System.nanoTime();
    assertEquals(254, jrkt("status", "--wait=200ms", A));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200));
    assertEquals("status: timed out after 200ms waiting for pod \"" + A
        + "\" to finish (state: running)\n", err);
    assertEquals(254, jrkt("status", "--wait=soon", A));
    assertTrue(err.startsWith("status: invalid --wait \"soon\""), err);
  }

  @Test
  void statusWaitReturnsForAFinishedPodAndUuidFileErrorsExitOne() throws Exception {
    pod("run", A, Instant.now(), "web");
    assertEquals(0, jrkt("status", "--wait", A));
    assertTrue(out.startsWith("state=exited\n"), out);

    Path uuidFile = Files.writeString(tmp.resolve("uuid"), A);
    assertEquals(0, jrkt("status", "--uuid-file=" + uuidFile));
    assertTrue(out.startsWith("state=exited\n"), out);
    assertEquals(1, jrkt("status", "--uuid-file=" + tmp.resolve("missing")));
    assertTrue(err.startsWith("status: unable to read UUID from file "), err);

    assertEquals(254, jrkt("status", "zzz"));
    assertEquals("status: no matches found for \"zzz\"\n", err);
    assertEquals(254, jrkt("status"));
  }

  @Test
  void statusJsonIsOneListElement() throws Exception {
    pod("prepared", A, Instant.ofEpochSecond(1_700_000_000L), "web");
    assertEquals(0, jrkt("status", "--format=json", A));
    assertEquals("{\"name\":\"" + A + "\",\"state\":\"prepared\",\"app_names\":[\"web\"],"
        + "\"apps\":[{\"name\":\"web\",\"state\":\"created\",\"created_at\":"
        + "1700000000000000000,\"image_id\":\"" + ID + "\"}],\"created_at\":1700000000}\n", out);
  }

  @Test
  void catManifestReprintsThePodManifest() throws Exception {
    pod("prepared", A, Instant.now(), "web");
    assertEquals(0, jrkt("cat-manifest", "--pretty-print=false", "aaaa"));
    assertEquals("{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":"
        + "\"web\",\"image\":{\"name\":\"example.com/web\",\"id\":\"" + ID + "\",\"labels\":"
        + "[{\"name\":\"version\",\"value\":\"1.0\"}]}", out.substring(0, out.indexOf("}]}") + 3));
    assertEquals(0, jrkt("cat-manifest", A));
    assertTrue(out.startsWith("{\n\t\"acVersion\": \"1.30.0\",\n"), out);
    assertEquals(254, jrkt("cat-manifest", "ffff"));
    assertEquals("cat-manifest: no matches found for \"ffff\"\n", err);
  }

  @Test
  void stopRunsTheStage1StopEntrypointOnRunningPodsOnly() throws Exception {
    Path record = tmp.resolve("stop-record");
    Path running = pod("run", A, Instant.now(), "web");
    stage1(running, "stop", "stop", record, 0);
    holdLock(running);
    pod("run", B, Instant.now(), "web");
    pod("prepared", C, Instant.now(), "web");

    assertEquals(254, jrkt("stop", "--force", A, B, C));
    assertEquals("\"" + A + "\"\n", out);
    assertEquals(running.toRealPath() + " --force " + A + "\n", Files.readString(record));
    assertEquals("stop: pod \"" + B + "\" is already stopped\n"
        + "stop: pod \"" + C + "\" is not running (state: prepared)\n", err);

    assertEquals(0, jrkt("stop", "aaaa"));
    assertEquals(running.toRealPath() + " " + A + "\n",
        Files.readAllLines(record).get(1) + "\n");
  }

  @Test
  void stopReportsAFailingEntrypoint() throws Exception {
    Path running = pod("run", A, Instant.now(), "web");
    stage1(running, "stop", "stop", tmp.resolve("r"), 2);
    holdLock(running);
    assertEquals(254, jrkt("stop", A));
    assertEquals("stop: error stopping \"" + A + "\": stop exited with status 2\n", err);
  }

  @Test
  void rmRemovesStoppedPodsAndRefusesRunningOnes() throws Exception {
    Path running = pod("run", A, Instant.now(), "web");
    holdLock(running);
    pod("run", B, Instant.now(), "web");
    pod("prepared", C, Instant.now(), "web");
    assertEquals(254, jrkt("rm", A, B, "cccc", "0000"));
    assertEquals("\"" + B + "\"\n\"" + C + "\"\n", out);
    assertEquals("rm: pod \"" + A + "\" is currently running\n"
        + "rm: no matches found for \"0000\"\n", err);
    assertTrue(Files.isDirectory(running));
    assertFalse(Files.exists(pods.resolve("exited-garbage").resolve(B)));
    assertFalse(Files.exists(pods.resolve("garbage").resolve(C)));
    assertEquals(254, jrkt("rm"));
    assertEquals(254, jrkt("rm", "--uuid-file=" + Files.writeString(tmp.resolve("u"), ""), A));
  }

  @Test
  void gcMarksAndSweepsWithRktsMessages() throws Exception {
    Path record = tmp.resolve("gc-record");
    Path exited = pod("run", A, Instant.now(), "web");
    stage1(exited, "gc", "gc", record, 0);
    pod("prepare", B, Instant.now(), "web");

    assertEquals(0, jrkt("gc", "--mark-only"));
    assertEquals("", out);
    assertEquals("gc: moving pod \"" + A + "\" to garbage\n"
        + "gc: moving failed prepare \"" + B + "\" to garbage\n", err);

    assertEquals(0, jrkt("gc"));
    assertEquals("Garbage collecting pod \"" + B + "\"\n", out);
    assertTrue(Files.isDirectory(pods.resolve("exited-garbage").resolve(A)));

    assertEquals(0, jrkt("--debug", "gc", "--grace-period=0s"));
    assertEquals("Garbage collecting pod \"" + A + "\"\n", out);
    assertEquals(pods.toRealPath().resolve("exited-garbage").resolve(A) + " --debug "
        + "--local-config=/etc/rkt " + A + "\n", Files.readString(record));
    assertFalse(Files.exists(pods.resolve("exited-garbage").resolve(A)));

    assertEquals(254, jrkt("gc", "--grace-period=5"));
    assertEquals("gc: invalid --grace-period: invalid duration \"5\": missing unit\n", err);
  }
}
