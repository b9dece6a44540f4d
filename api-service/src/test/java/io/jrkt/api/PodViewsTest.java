package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jrkt.api.v1alpha.PodState;
import org.junit.jupiter.api.Test;

class PodViewsTest {
  @Test
  void statesMapAsRktMappedThem() {
    assertEquals(PodState.POD_STATE_EMBRYO, PodViews.state(io.jrkt.pod.PodState.EMBRYO));
    assertEquals(PodState.POD_STATE_PREPARING, PodViews.state(io.jrkt.pod.PodState.PREPARING));
    assertEquals(PodState.POD_STATE_ABORTED_PREPARE,
        PodViews.state(io.jrkt.pod.PodState.ABORTED_PREPARE));
    assertEquals(PodState.POD_STATE_PREPARED, PodViews.state(io.jrkt.pod.PodState.PREPARED));
    assertEquals(PodState.POD_STATE_RUNNING, PodViews.state(io.jrkt.pod.PodState.RUNNING));
    assertEquals(PodState.POD_STATE_EXITED, PodViews.state(io.jrkt.pod.PodState.EXITED));
    assertEquals(PodState.POD_STATE_DELETING, PodViews.state(io.jrkt.pod.PodState.DELETING));
    assertEquals(PodState.POD_STATE_DELETING,
        PodViews.state(io.jrkt.pod.PodState.EXITED_DELETING));
    assertEquals(PodState.POD_STATE_GARBAGE,
        PodViews.state(io.jrkt.pod.PodState.EXITED_GARBAGE));
    assertEquals(PodState.POD_STATE_GARBAGE, PodViews.state(io.jrkt.pod.PodState.GARBAGE));
  }

  @Test
  void cgroupFromTheNameSystemdLine() {
    assertEquals("/machine.slice/machine-rkt\\x2dabc.scope", PodViews.systemdCgroup(
        "1:name=systemd:/machine.slice/machine-rkt\\x2dabc.scope/init.scope"));
    assertEquals("/user.slice", PodViews.systemdCgroup("1:name=systemd:/user.slice"));
    assertNull(PodViews.systemdCgroup("0::/user.slice"));
    assertNull(PodViews.systemdCgroup("4:memory:/user.slice"));
  }

  @Test
  void podDirectoryNames() {
    assertEquals(true, PodCatalog.canonicalUuid("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"));
    assertEquals(false, PodCatalog.canonicalUuid("0F1E2D3C-4b5a-4978-8695-a4b3c2d1e0f9"));
    assertEquals(false, PodCatalog.canonicalUuid("not-a-pod"));
    assertEquals(false, PodCatalog.canonicalUuid("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9.tmp"));
  }
}
