package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Stage1RunArgsTest {
  private static final String UUID = "9a1b2c3d-0000-4000-8000-00000000000a";

  /** Everything set: what each interface version gets. */
  private static final RunOptions ALL = new RunOptions(true, "default,mynet:IP=10.1.1.1", true,
      Optional.of("65536:65536"), Optional.of("tok"), "/etc/rkt", Optional.of("web"), "stage0",
      "host", true, true, true, false, Optional.of("private"));

  private static List<String> args(int iv, RunOptions o) {
    return Stage1RunArgs.build(iv, o, UUID).args();
  }

  @Test
  void goldenPerInterfaceVersion() {
    List<String> common = List.of("--debug", "--net=default,mynet:IP=10.1.1.1", "--interactive",
        "--private-users=65536:65536", "--mds-token=tok", "--local-config=/etc/rkt");
    assertEquals(concat(common, UUID), args(1, ALL));
    assertEquals(concat(common, "--hostname=web", UUID), args(2, ALL));
    assertEquals(concat(common, "--hostname=web", "--disable-capabilities-restriction",
        "--disable-paths", "--disable-seccomp", UUID), args(3, ALL));
    List<String> v4 = concat(common, "--hostname=web", "--dns-conf-mode=resolv=stage0,hosts=host",
        "--disable-capabilities-restriction", "--disable-paths", "--disable-seccomp", UUID);
    assertEquals(v4, args(4, ALL));
    assertEquals(v4, args(5, ALL));
    assertEquals(concat(common, "--hostname=web", "--dns-conf-mode=resolv=stage0,hosts=host",
        "--disable-capabilities-restriction", "--disable-paths", "--disable-seccomp",
        "--ipc=private", UUID), args(6, ALL));
  }

  @Test
  void warningsForWhatTheStage1IsTooOldFor() {
    assertEquals(List.of(
        "--hostname is not supported by this stage1 (interface version 1)",
        "--dns-conf-mode is not supported by this stage1 (interface version 1)",
        "--ipc is not supported by this stage1 (interface version 1)"),
        Stage1RunArgs.build(1, ALL, UUID).warnings());
    assertEquals(List.of(), Stage1RunArgs.build(6, ALL, UUID).warnings());
  }

  @Test
  void defaultsGiveTheMinimalList() {
    RunOptions d = RunOptions.defaults("/etc/rkt");
    for (int iv = 1; iv <= 6; iv++) {
      assertEquals(List.of("--net=default", "--local-config=/etc/rkt", UUID), args(iv, d));
    }
  }

  @Test
  void dnsConfModeOnlyWhenNotBothDefault() {
    RunOptions hostsOnly = new RunOptions(false, "host", false, Optional.empty(),
        Optional.empty(), "/etc/rkt", Optional.empty(), "default", "stage0", false, false,
        false, true, Optional.empty());
    assertEquals(List.of("--net=host", "--local-config=/etc/rkt",
        "--dns-conf-mode=resolv=default,hosts=stage0", "--mutable", UUID), args(5, hostsOnly));
  }

  @Test
  void refusesVersionZero() {
    assertThrows(IllegalArgumentException.class, () -> Stage1RunArgs.build(0, ALL, UUID));
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> l = new java.util.ArrayList<>(head);
    l.addAll(List.of(tail));
    return l;
  }
}
