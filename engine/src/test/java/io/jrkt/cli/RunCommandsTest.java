package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run, prepare, run-prepared and enter through {@link Main}; the hand-offs run in a child JVM
 * (they replace the process) with a stage1 made of shell scripts that report what they got.
 */
class RunCommandsTest {
  /** The stage1 run entrypoint: reports argv, cwd and the lock fd, then exits 7. */
  private static final String RUN_SCRIPT = "#!/bin/sh\n"
      + "echo \"args: $*\"\n"
      + "echo \"cwd: $(pwd)\"\n"
      + "echo \"lock: $(readlink /proc/$$/fd/$RKT_LOCK_FD)\"\n"
      + "if [ \"$JRKT_TEST_SLEEP\" = 1 ]; then echo $$ > pid; exec sleep 60; fi\n"
      + "exit 7\n";
  private static final String ENTER_SCRIPT = "#!/bin/sh\necho \"enter: $*\"\necho \"cwd: $(pwd)\""
      + "\nexit 3\n";

  @TempDir Path tmp;
  private Path data;
  private Path stage1;
  private String out;
  private String err;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    String lib = System.getProperty("jrkt.native.lib");
    assumeTrue(lib != null && Files.exists(Path.of(lib)), "needs the JNI library");
    data = tmp.resolve("data");
    stage1 = aci("stage1", "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":"
        + "\"example.com/test-stage1\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
        + "{\"name\":\"arch\",\"value\":\"amd64\"}],\"annotations\":["
        + "{\"name\":\"coreos.com/rkt/stage1/run\",\"value\":\"/run\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/enter\",\"value\":\"/enter\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/interface-version\",\"value\":\"5\"}]}",
        "run", RUN_SCRIPT, "enter", ENTER_SCRIPT);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : children) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Path aci(String name, String manifest, String... files) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("src-" + name));
    Files.writeString(dir.resolve("manifest"), manifest);
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    for (int i = 0; i < files.length; i += 2) {
      Path f = Files.writeString(rootfs.resolve(files[i]), files[i + 1]);
      Files.setAttribute(f, "unix:mode", 0755);
    }
    Path file = tmp.resolve(name + ".aci");
    Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", file.toString(),
        "manifest", "rootfs").start();
    assertEquals(0, p.waitFor());
    return file;
  }

  private Path app(String name) throws Exception {
    return aci(name, "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":"
        + "\"example.com/" + name + "\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
        + "{\"name\":\"arch\",\"value\":\"amd64\"}],\"app\":{\"exec\":[\"/bin/app\"],"
        + "\"user\":\"0\",\"group\":\"0\"}}", "app", "");
  }

  private int jrkt(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    List<String> argv = new ArrayList<>(List.of("--dir=" + data,
        "--insecure-options=image"));
    argv.addAll(List.of(args));
    int code = Main.run(argv, new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8));
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return code;
  }

  /** jrkt in a child JVM, for the commands that exec. */
  private Process child(boolean sleep, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Djrkt.native.lib=" + System.getProperty("jrkt.native.lib"),
        "io.jrkt.cli.Main", "--dir=" + data, "--insecure-options=image"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JRKT_TEST_SLEEP", sleep ? "1" : "0");
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private long pods(String state) throws Exception {
    Path d = data.resolve("pods").resolve(state);
    if (!Files.isDirectory(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void flyRefusesTwoAppsAndLeavesNoPod() throws Exception {
    Path fly = aci("fly", "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":"
        + "\"coreos.com/rkt/stage1-fly\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},"
        + "{\"name\":\"arch\",\"value\":\"amd64\"}],\"annotations\":[{\"name\":"
        + "\"coreos.com/rkt/stage1/run\",\"value\":\"/run\"}]}", "run", RUN_SCRIPT);
    assertEquals(254, jrkt("run", "--stage1-path=" + fly, app("a").toString(), "---",
        app("b").toString()));
    assertEquals("run: stage1-fly supports exactly one app per pod; got 2\n", err);
    assertEquals(0, pods("prepare") + pods("embryo") + pods("run") + pods("prepared"));
  }

  @Test
  void badCommandLinesAreOneLineErrors() throws Exception {
    assertEquals(254, jrkt("run", "--name=x", "img"));
    assertEquals("run: --name must follow an image\n", err);
    Path pm = Files.writeString(tmp.resolve("pod.json"), "{}");
    assertEquals(254, jrkt("prepare", "--pod-manifest=" + pm, "--volume=v,kind=empty", "img"));
    assertEquals("prepare: --pod-manifest cannot be combined with --volume, image arguments "
        + "(the pod manifest says it all)\n", err);
    assertEquals(254, jrkt("run", "--stage1-name=a/b", "--stage1-hash=sha512-00", "img"));
    assertEquals("run: --stage1-name and --stage1-hash exclude each other; give one\n", err);
    assertEquals(254, jrkt("run", "--stage1-path=" + stage1, "--net=host,default", "img"));
    assertEquals("run: --net=host,default: \"host\" cannot be combined with other networks\n",
        err);
    assertEquals(254, jrkt("prepare", "--stage1-path=" + stage1, "nosuch.example.com/app"));
    assertEquals("prepare: no image \"nosuch.example.com/app\" in the store (fetch it first; "
        + "discovery is not supported yet)\n", err);
    assertEquals(254, jrkt("run-prepared", "12345678"));
    assertEquals("run-prepared: no matches found for \"12345678\"\n", err);
    assertEquals(0, pods("prepare") + pods("embryo"));
  }

  @Test
  void prepareThenRunPreparedHandsTheLockedPodToTheStage1() throws Exception {
    // --no-overlay: the stage1 root (and the DNS file stage0 writes there) is a plain directory.
    assertEquals(0, jrkt("prepare", "--quiet", "--no-overlay", "--stage1-path=" + stage1,
        app("hello").toString()), err);
    String uuid = out.trim();
    assertTrue(Files.isDirectory(data.resolve("pods/prepared").resolve(uuid)));

    Process p = child(false, "--debug", "run-prepared", "--hostname=h1", "--dns=8.8.8.8",
        uuid.substring(0, 8));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(7, p.exitValue(), output);
    Path runDir = data.resolve("pods/run").resolve(uuid).toRealPath();
    assertTrue(output.contains("args: --debug --net=default --local-config=/etc/rkt "
        + "--hostname=h1 --dns-conf-mode=resolv=stage0,hosts=default " + uuid + "\n"), output);
    assertTrue(output.contains("cwd: " + runDir + "\n"), output);
    assertTrue(output.contains("lock: " + runDir + "\n"), output);
    assertTrue(Files.readString(runDir.resolve("stage1/rootfs/etc/rkt-resolv.conf"))
        .contains("nameserver 8.8.8.8"));
    assertEquals(0, jrkt("status", uuid));
    assertTrue(out.startsWith("state=exited\n"), out);
  }

  @Test
  void runThenEnter() throws Exception {
    Process run = child(true, "run", "--stage1-path=" + stage1, app("hello").toString());
    Path runDir = data.resolve("pods/run");
    String uuid = null;
    for (int i = 0; i < 600 && uuid == null; i++) {
      if (Files.isDirectory(runDir)) {
        try (Stream<Path> s = Files.list(runDir)) {
          uuid = s.filter(d -> Files.exists(d.resolve("pid"))).map(d -> d.getFileName()
              .toString()).findFirst().orElse(null);
        }
      }
      Thread.sleep(100);
    }
    assertTrue(uuid != null, "the stage1 wrote no pid");
    assertEquals(0, jrkt("status", uuid));
    assertTrue(out.startsWith("state=running\n"), out);
    int pid = Integer.parseInt(Files.readString(runDir.resolve(uuid).resolve("pid")).trim());

    Process enter = child(false, "enter", uuid, "/bin/sh", "-c", "echo hi");
    assertTrue(enter.waitFor(60, TimeUnit.SECONDS));
    String output = new String(enter.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(3, enter.exitValue(), output);
    assertTrue(output.contains("enter: --pid=" + pid + " --appname=hello -- /bin/sh -c echo hi\n"),
        output);
    assertEquals(254, jrkt("enter", "--app=other", uuid));
    assertEquals("enter: pod " + uuid + " has no app \"other\"\n", err);

    run.destroyForcibly();
    run.waitFor(10, TimeUnit.SECONDS);
    assertEquals(254, jrkt("enter", uuid));
    assertEquals("enter: pod " + uuid + " is not running (state: exited)\n", err);
    assertFalse(run.isAlive());
  }
}
