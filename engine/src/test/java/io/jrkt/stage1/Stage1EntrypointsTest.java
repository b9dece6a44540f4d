package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.pod.PodException;
import io.jrkt.pod.Stage1Entrypoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Stage1EntrypointsTest {
  @Test
  void readsTheAnnotations() throws Exception {
    Stage1Entrypoints e = Stage1Entrypoints.of(TestImages.manifest("coreos.com/rkt/stage1-fly")
        .annotation("coreos.com/rkt/stage1/run", "/run")
        .annotation("coreos.com/rkt/stage1/enter", "/enter")
        .annotation("coreos.com/rkt/stage1/interface-version", "5").build());
    assertEquals(5, e.interfaceVersion());
    assertEquals(Path.of("/p/stage1/rootfs/run"), e.runPath(Path.of("/p")));
    assertEquals(Path.of("/p/stage1/rootfs/enter"), e.enterPath(Path.of("/p")));
  }

  @Test
  void versionDefaultsToOneAndMissingEntrypointsAreNamed() throws Exception {
    Stage1Entrypoints e = Stage1Entrypoints.of(TestImages.manifest("example.com/s").build());
    assertEquals(1, e.interfaceVersion());
    assertEquals("stage1 example.com/s has no run entrypoint (annotation "
        + "coreos.com/rkt/stage1/run)", assertThrows(PodException.class,
            () -> e.runPath(Path.of("/p"))).getMessage());
    assertThrows(PodException.class, () -> Stage1Entrypoints.of(TestImages
        .manifest("example.com/s").annotation("coreos.com/rkt/stage1/interface-version", "x")
        .build()));
    Stage1Entrypoints escape = Stage1Entrypoints.of(TestImages.manifest("example.com/s")
        .annotation("coreos.com/rkt/stage1/run", "/../../bin/sh").build());
    assertThrows(PodException.class, () -> escape.runPath(Path.of("/p")));
  }

  @Test
  void aPodsGcAndStopEntrypointsMustBeFilesInsideItsStage1(@TempDir Path tmp) throws Exception {
    Path pod = tmp.resolve("pod");
    Path rootfs = Files.createDirectories(pod.resolve("stage1/rootfs"));
    Files.writeString(rootfs.resolve("gc"), "#!/bin/sh\n");
    Files.createSymbolicLink(rootfs.resolve("stop"), Files.writeString(tmp.resolve("outside"), ""));
    Files.writeString(pod.resolve("stage1/manifest"), "{\"acKind\":\"ImageManifest\","
        + "\"acVersion\":\"0.8.11\",\"name\":\"example.com/s\",\"annotations\":["
        + "{\"name\":\"coreos.com/rkt/stage1/gc\",\"value\":\"/gc\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/stop\",\"value\":\"/stop\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/interface-version\",\"value\":\"5\"}]}");

    Stage1Entrypoints e = Stage1Entrypoints.read(pod);
    assertEquals(5, e.interfaceVersion());
    assertEquals(Optional.of(rootfs.resolve("gc").toRealPath()), e.gcPath(pod));
    PodException escape = assertThrows(PodException.class, () -> e.stopPath(pod));
    assertEquals("stage1 entrypoint /stop of pod pod is not a file inside the stage1 rootfs",
        escape.getMessage());
    assertEquals(Optional.empty(), Stage1Entrypoints.of(TestImages.manifest("example.com/s")
        .build()).gcPath(pod));
    assertEquals("pod nowhere has no stage1 manifest (" + tmp.resolve("nowhere/stage1/manifest")
        + ")", assertThrows(PodException.class,
            () -> Stage1Entrypoints.read(tmp.resolve("nowhere"))).getMessage());
  }

  @Test
  void anOverlayPodsEntrypointsAreCheckedInItsStage1Tree(@TempDir Path tmp) throws Exception {
    String id = "deps-sha512-" + "3".repeat(64);
    Path pod = Files.createDirectories(tmp.resolve("data/pods/run/u"));
    Files.createDirectories(pod.resolve("stage1/rootfs")); // an empty mount point
    Files.writeString(pod.resolve("overlay-prepared"), "");
    Files.writeString(pod.resolve("stage1TreeStoreID"), id);
    Path tree = Files.createDirectories(tmp.resolve("data/cas/tree").resolve(id)
        .resolve("rootfs"));
    Files.writeString(tree.resolve("gc"), "#!/bin/sh\n");
    Files.createSymbolicLink(tree.resolve("stop"), Path.of("/bin/sh"));
    Files.writeString(pod.resolve("stage1/manifest"), "{\"acKind\":\"ImageManifest\","
        + "\"acVersion\":\"0.8.11\",\"name\":\"example.com/s\",\"annotations\":["
        + "{\"name\":\"coreos.com/rkt/stage1/gc\",\"value\":\"/gc\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/run\",\"value\":\"/nosuch\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/stop\",\"value\":\"/stop\"}]}");
    Stage1Entrypoints e = Stage1Entrypoints.read(pod);
    // Found in the tree, run from the mounted overlay at the same place.
    assertEquals(Optional.of(pod.resolve("stage1/rootfs/gc")), e.gcPath(pod));
    assertThrows(PodException.class, () -> e.stopPath(pod));
    assertThrows(PodException.class, () -> e.checkedRunPath(pod));

    Files.delete(tree.resolve("gc"));
    Files.delete(tree.resolve("stop"));
    Files.delete(tree);
    PodException gone = assertThrows(PodException.class, () -> e.gcPath(pod));
    assertEquals("the stage1 tree " + id + " of pod u is no longer in the tree store ("
        + tree + ")", gone.getMessage());
  }

  @Test
  void enterArgv() {
    assertEquals(List.of("/p/stage1/rootfs/enter", "--pid=42", "--appname=web", "--",
        "/bin/sh", "-c", "id"), Stage1Launcher.enterArgv(Path.of("/p/stage1/rootfs/enter"), 42,
        "web", List.of("/bin/sh", "-c", "id")));
  }

  @Test
  void runEnvironmentSetsTheLockFd() {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("PATH", "/bin");
    env.put("RKT_LOCK_FD", "99");
    assertEquals(List.of("PATH=/bin", "RKT_LOCK_FD=7"),
        List.of(Stage1Launcher.runEnvironment(env, 7)));
  }
}
