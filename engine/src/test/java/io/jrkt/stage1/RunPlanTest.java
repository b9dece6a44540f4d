package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.appc.AcName;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunPlanTest {
  @Test
  void goldenBytes() {
    AppPlan app = new AppPlan(new AcName("web"), AppPlan.rootOf(new AcName("web")), 1000, 100,
        List.of(10, 20), "/srv", List.of(new KeyValue("PATH", "/bin"), new KeyValue("A", "x=y")),
        List.of("/bin/sh", "-c", "echo hi"),
        List.of(PlanMount.bind("/host/data", "/data", false, true),
            PlanMount.bind("/var/lib/rkt/pods/run/u/sharedVolumes/cache", "/data/cache", true,
                false)),
        true);
    String expected = "version\0001\0"
        + "app\0web\0"
        + "root\0stage1/rootfs/opt/stage2/web/rootfs\0"
        + "uid\0001000\0"
        + "gid\000100\0"
        + "groups\0002\00010\00020\0"
        + "cwd\0/srv\0"
        + "env\0002\0PATH=/bin\0A=x=y\0"
        + "exec\0003\0/bin/sh\0-c\0echo hi\0"
        + "mount\0/host/data\0/data\0bind,ro\0"
        + "mount\0/var/lib/rkt/pods/run/u/sharedVolumes/cache\0/data/cache\0rbind\0"
        + "readonly-rootfs\0001\0";
    assertEquals(expected, new String(new RunPlan(List.of(app)).encode(),
        StandardCharsets.UTF_8));
  }

  @Test
  void minimalAppHasEmptyCounts() {
    AppPlan app = new AppPlan(new AcName("a"), "stage1/rootfs/opt/stage2/a/rootfs", 0, 0,
        List.of(), "/", List.of(), List.of("/bin/true"), List.of(), false);
    assertEquals("version\0001\0app\0a\0root\0stage1/rootfs/opt/stage2/a/rootfs\0uid\0000\0"
        + "gid\0000\0groups\0000\0cwd\0/\0env\0000\0exec\0001\0/bin/true\0readonly-rootfs\0000\0",
        new String(new RunPlan(List.of(app)).encode(), StandardCharsets.UTF_8));
  }

  @Test
  void refusesWhatTheFormatCannotCarry() {
    AppPlan nul = new AppPlan(new AcName("a"), "r", 0, 0, List.of(), "/", List.of(),
        List.of("/bin/echo", "a\0b"), List.of(), false);
    assertThrows(IllegalArgumentException.class, () -> new RunPlan(List.of(nul)).encode());
    assertThrows(IllegalArgumentException.class, () -> new AppPlan(new AcName("a"), "/abs", 0,
        0, List.of(), "/", List.of(), List.of("/bin/true"), List.of(), false));
    assertThrows(IllegalArgumentException.class, () -> new AppPlan(new AcName("a"), "r", 0, 0,
        List.of(), "/", List.of(), List.of("true"), List.of(), false));
    assertThrows(IllegalArgumentException.class, () -> new PlanMount("/a", "/b/../c",
        List.of("bind")));
    assertThrows(IllegalArgumentException.class, () -> new PlanMount("rel", "/b",
        List.of("bind")));
    assertThrows(IllegalArgumentException.class, () -> new RunPlan(List.of()));
  }

  @Test
  void normalizesTargets() {
    assertEquals("/a/b", PlanMount.normalize("//a/./b/"));
    assertEquals("/", PlanMount.normalize("/"));
    assertEquals(null, PlanMount.normalize("/a/../b"));
    assertEquals(null, PlanMount.normalize("a/b"));
  }
}
