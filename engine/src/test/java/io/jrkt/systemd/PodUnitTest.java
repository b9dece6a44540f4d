package io.jrkt.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodUnitTest {
  private static final String UUID = "0c6e9c4c-8f8e-4b0e-9a43-5f1f1b3b9a10";

  @Test
  void propertiesMatchTheGoldenFile() throws IOException {
    List<String> argv = PodUnit.runPreparedCommand("/opt/jrkt/bin/jrkt",
        List.of("--dir=/var/lib/rkt", "--insecure-options=image"),
        List.of("--net=host", "--dns=10.0.0.1", "--dns=10.0.0.2"), UUID);
    PodUnit unit = new PodUnit(UnitName.forPod(UUID, false), "jrkt pod " + UUID, argv);
    assertEquals(golden("pod-unit.golden"), PodUnit.render(unit.properties()));
    assertEquals("jrkt-" + UUID + ".service", unit.name().value());
  }

  @Test
  void renderQuotesAndTypesEveryValue() {
    String text = PodUnit.render(List.of(UnitProperty.text("A", "say \"hi\" \\o/"),
        UnitProperty.flag("B", false), UnitProperty.number("C", 5_000_000)));
    assertEquals("A s \"say \\\"hi\\\" \\\\o/\"\nB b false\nC t 5000000\n", text);
  }

  @Test
  void execStartNeedsAnAbsoluteProgram() {
    assertThrows(IllegalArgumentException.class, () -> new PodUnit(UnitName.forPod(UUID, true),
        "x", List.of("jrkt", "run-prepared", UUID)));
    assertThrows(IllegalArgumentException.class, () -> new UnitProperty.ExecCommand("/bin/x",
        List.of(), false));
    assertThrows(IllegalArgumentException.class, () -> UnitProperty.number("T", -1));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = PodUnitTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
