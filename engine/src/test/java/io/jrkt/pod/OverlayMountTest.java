package io.jrkt.pod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayMountTest {
  private static final String ID = "deps-sha512-" + "ab".repeat(32);

  @Test
  void optionsNameTheThreeLayers() {
    OverlayMount m = new OverlayMount("stage1/rootfs/opt/stage2/web/rootfs",
        Path.of("/var/lib/rkt/cas/tree/" + ID + "/rootfs"), PodOverlay.upper(ID, "web"),
        PodOverlay.work(ID, "web"));
    assertEquals("lowerdir=/var/lib/rkt/cas/tree/" + ID + "/rootfs,upperdir=overlay/" + ID
        + "/upper/web,workdir=overlay/" + ID + "/work/web", m.options());
  }

  @Test
  void stage1LayersHaveNoAppComponent() {
    assertEquals("overlay/" + ID + "/upper", PodOverlay.upper(ID, ""));
    assertEquals("overlay/" + ID + "/work", PodOverlay.work(ID, ""));
  }

  @Test
  void commasColonsAndBackslashesAreEscaped() {
    OverlayMount m = new OverlayMount("stage1/rootfs", Path.of("/data,x:y\\z/rootfs"),
        "overlay/u", "overlay/w");
    assertEquals("lowerdir=/data\\,x\\:y\\\\z/rootfs,upperdir=overlay/u,workdir=overlay/w",
        m.options());
  }

  @Test
  void pathsOutsideThePodAreRefused() {
    Path lower = Path.of("/l");
    assertThrows(IllegalArgumentException.class,
        () -> new OverlayMount("/abs", lower, "u", "w"));
    assertThrows(IllegalArgumentException.class,
        () -> new OverlayMount("t", lower, "../u", "w"));
    assertThrows(IllegalArgumentException.class,
        () -> new OverlayMount("t", lower, "u", "a/../../w"));
    assertThrows(IllegalArgumentException.class,
        () -> new OverlayMount("t", Path.of("relative"), "u", "w"));
    assertThrows(IllegalArgumentException.class, () -> PodOverlay.upper("../x", "a"));
  }

  @Test
  void optionsLongerThanAPageAreRefusedWithAReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OverlayMount("t", Path.of("/" + "d".repeat(4100)), "u", "w"));
    assertTrue(e.getMessage().contains("shorter data directory"), e.getMessage());
  }

  @Test
  void recordRoundTripsStage1First() {
    OverlayMount s1 = new OverlayMount("stage1/rootfs", Path.of("/t/s1/rootfs"), "overlay/s/upper",
        "overlay/s/work");
    OverlayMount app = new OverlayMount("stage1/rootfs/opt/stage2/a/rootfs",
        Path.of("/t/a/rootfs"), "overlay/a/upper/a", "overlay/a/work/a");
    byte[] bytes = OverlayRecord.encode(List.of(s1, app));
    assertEquals("overlay-mounts 1\0stage1/rootfs\0" + s1.options() + "\0"
        + "stage1/rootfs/opt/stage2/a/rootfs\0" + app.options() + "\0",
        new String(bytes, StandardCharsets.UTF_8));
    List<String[]> back = OverlayRecord.decode(bytes);
    assertEquals(2, back.size());
    assertArrayEquals(new String[] {"stage1/rootfs", s1.options()}, back.get(0));
    assertArrayEquals(new String[] {app.target(), app.options()}, back.get(1));
  }

  @Test
  void badRecordsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> OverlayRecord.encode(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> OverlayRecord.decode("overlay-mounts 1\0t\0".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> OverlayRecord.decode("other 1\0t\0o\0".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> OverlayRecord.decode("overlay-mounts 1\0t\0o".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void helperArgvWrapTheEntrypoint() {
    Path helper = Path.of("/lib/jrkt-overlay");
    assertEquals(List.of("/lib/jrkt-overlay", "mount", "overlay-mounts", "--", "/p/run", "u"),
        PodOverlay.mountArgv(helper, false, List.of("/p/run", "u")));
    assertEquals(List.of("/lib/jrkt-overlay", "mount", "--stage1-only", "overlay-mounts", "--",
        "/p/gc", "u"), PodOverlay.mountArgv(helper, true, List.of("/p/gc", "u")));
    assertEquals(List.of("/lib/jrkt-overlay", "join", "42", "--", "/p/stop", "u"),
        PodOverlay.joinArgv(helper, 42, List.of("/p/stop", "u")));
  }
}
