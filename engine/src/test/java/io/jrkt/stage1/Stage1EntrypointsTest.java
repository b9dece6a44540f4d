package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        + "coreos.com/rkt/stage1/run)", assertThrows(Stage1Exception.class,
            () -> e.runPath(Path.of("/p"))).getMessage());
    assertThrows(Stage1Exception.class, () -> Stage1Entrypoints.of(TestImages
        .manifest("example.com/s").annotation("coreos.com/rkt/stage1/interface-version", "x")
        .build()));
    Stage1Entrypoints escape = Stage1Entrypoints.of(TestImages.manifest("example.com/s")
        .annotation("coreos.com/rkt/stage1/run", "/../../bin/sh").build());
    assertThrows(Stage1Exception.class, () -> escape.runPath(Path.of("/p")));
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
