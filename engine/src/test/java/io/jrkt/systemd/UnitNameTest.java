package io.jrkt.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnitNameTest {
  @Test
  void podUnitsFollowTheKubeletConvention() {
    assertEquals("k8s_abc.service", UnitName.forPod("abc", true).value());
    assertEquals("jrkt-abc.service", UnitName.forPod("abc", false).value());
  }

  @Test
  void parseAddsTheServiceSuffixAndRefusesBadNames() throws SystemdException {
    assertEquals("web.service", UnitName.parse("web").value());
    assertEquals("web.service", UnitName.parse("web.service").value());
    SystemdException e = assertThrows(SystemdException.class, () -> UnitName.parse("a b"));
    assertTrue(e.getMessage().contains("\"a b\"") && e.getMessage().contains("' '"),
        e.getMessage());
    assertThrows(SystemdException.class, () -> UnitName.parse("tmpl@x"));
    assertThrows(SystemdException.class, () -> UnitName.parse(".service"));
    assertThrows(SystemdException.class, () -> UnitName.parse("x".repeat(250)));
  }

  @Test
  void objectPathEscapesLikeSystemd() {
    assertEquals("/org/freedesktop/systemd1/unit/k8s_5ftest_2eservice",
        new UnitName("k8s_test.service").objectPath());
    assertEquals("/org/freedesktop/systemd1/unit/jrkt_2dab_2eservice",
        new UnitName("jrkt-ab.service").objectPath());
  }

  @Test
  void busAddressPrefersTheFlagThenTheEnvironment() {
    assertEquals("unix:path=/x", Systemd.busAddress("unix:path=/x",
        Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/y")));
    assertEquals("unix:path=/y", Systemd.busAddress("", Map.of("DBUS_SYSTEM_BUS_ADDRESS",
        "unix:path=/y")));
    assertEquals(Systemd.DEFAULT_SYSTEM_BUS, Systemd.busAddress(null, Map.of()));
  }

  @Test
  void unitOfOwnCgroupIsTheInnermostService() {
    String hybrid = "12:name=systemd:/system.slice/k8s_u.service\n0::/system.slice/"
        + "k8s_u.service/rkt-u\n";
    assertEquals(Optional.of(new UnitName("k8s_u.service")),
        UnitRecord.unitOfCgroupFile(hybrid));
    assertEquals(Optional.empty(), UnitRecord.unitOfCgroupFile("0::/user.slice/session-1.scope"
        + "\n"));
    assertEquals(Optional.empty(), UnitRecord.unitOfCgroupFile("1:name=systemd:/a.service\n"));
  }

  @Test
  void recordRoundTrips() throws Exception {
    UnitRecord r = new UnitRecord(new UnitName("jrkt-x.service"), "unix:path=/run/bus");
    assertEquals(r, UnitRecord.parse(r.text(), java.nio.file.Path.of("unit")));
    assertThrows(java.io.IOException.class, () -> UnitRecord.parse("bus=x\n",
        java.nio.file.Path.of("unit")));
  }

  @Test
  void statusDescription() {
    UnitStatus failed = new UnitStatus(new UnitName("a.service"), "loaded", "failed", "failed",
        "exit-code", java.util.OptionalInt.empty(), java.util.OptionalInt.of(3));
    assertEquals("failed/failed (exit-code)", failed.describe());
    assertEquals("not loaded", UnitStatus.gone(new UnitName("a.service")).describe());
  }
}
