package io.jrkt.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay helper program (jrkt-overlay, built next to libjrkt.so): mounts a record's
 * overlays in a namespace of its own only, and refuses bad records and foreign namespaces.
 * Needs root (it unshares the mount namespace).
 */
class OverlayHelperTest {
  @TempDir
  Path tmp;
  private Path helper;

  @BeforeEach
  void findHelper() throws Exception {
    helper = PodOverlay.helper().orElse(null);
    assumeTrue(helper != null, "the overlay helper is not built");
    assumeTrue(new String(Files.readAllBytes(Path.of("/proc/self/status")),
        StandardCharsets.UTF_8).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
        "the overlay helper needs root");
  }

  private record Run(int exit, String out) {}

  private Run run(Path cwd, List<String> argv) throws Exception {
    List<String> cmd = new ArrayList<>(argv);
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out);
  }

  private Path pod() throws IOException {
    Path pod = Files.createDirectories(tmp.resolve("pods/run/u"));
    Files.createDirectories(pod.resolve("stage1/rootfs"));
    Files.createDirectories(pod.resolve("overlay/s/upper"));
    Files.createDirectories(pod.resolve("overlay/s/work"));
    Path lower = Files.createDirectories(tmp.resolve("tree/rootfs"));
    Files.writeString(lower.resolve("from-lower"), "lower\n");
    Files.write(pod.resolve(OverlayRecord.FILE), OverlayRecord.encode(List.of(
        new OverlayMount("stage1/rootfs", lower, "overlay/s/upper", "overlay/s/work"))));
    return pod;
  }

  @Test
  void mountsTheRecordsOverlaysForTheProgramOnly() throws Exception {
    Path pod = pod();
    Run r = run(pod, PodOverlay.mountArgv(helper, false, List.of("/bin/sh", "-c",
        "cat stage1/rootfs/from-lower && echo mine > stage1/rootfs/written")));
    assertEquals(0, r.exit(), r.out());
    assertEquals("lower\n", r.out());
    assertEquals("mine\n", Files.readString(pod.resolve("overlay/s/upper/written")));
    assertFalse(Files.exists(tmp.resolve("tree/rootfs/written")));
    assertFalse(Files.exists(pod.resolve("stage1/rootfs/from-lower")),
        "nothing stays mounted here");
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(tmp.toString()));
  }

  @Test
  void refusesBadRecordsWithOneLine() throws Exception {
    Path pod = pod();
    Files.writeString(pod.resolve(OverlayRecord.FILE), "overlay-mounts 2\0t\0o\0");
    Run r = run(pod, PodOverlay.mountArgv(helper, false, List.of("/bin/true")));
    assertEquals(254, r.exit());
    assertEquals("jrkt-overlay: overlay-mounts: does not start with \"overlay-mounts 1\"\n",
        r.out());
    Files.delete(pod.resolve(OverlayRecord.FILE));
    r = run(pod, PodOverlay.mountArgv(helper, false, List.of("/bin/true")));
    assertEquals(254, r.exit());
    assertTrue(r.out().startsWith("jrkt-overlay: read overlay-mounts: No such file"), r.out());
    Files.write(pod.resolve(OverlayRecord.FILE), "overlay-mounts 1\0/etc\0lowerdir=/\0"
        .getBytes(StandardCharsets.UTF_8));
    r = run(pod, PodOverlay.mountArgv(helper, false, List.of("/bin/true")));
    assertEquals(254, r.exit());
    assertTrue(r.out().contains("target /etc is not below the pod directory"), r.out());
  }

  @Test
  void joinsOnlyANamespaceWhereThePodsStage1RootIsAnOverlay() throws Exception {
    Path pod = pod();
    long self = ProcessHandle.current().pid();
    Run r = run(pod, PodOverlay.joinArgv(helper, (int) self, List.of("/bin/true")));
    assertEquals(254, r.exit());
    assertTrue(r.out().contains("is not the pod's: no overlay on"), r.out());
    r = run(pod, List.of(helper.toString(), "join", "x", "--", "/bin/true"));
    assertEquals(254, r.exit());
    assertEquals("jrkt-overlay: join: \"x\" is not a process id\n", r.out());
  }
}
