package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How many pods {@code gc} deletes at once. */
class GcWorkersTest {
  @Test
  void twoPerCpuAtLeastTwoAtMostEight() throws CliException {
    assertEquals(2, GcCommand.workers(null, 1));
    assertEquals(4, GcCommand.workers(null, 2));
    assertEquals(8, GcCommand.workers("", 64));
  }

  @Test
  void theEnvironmentOverridesIt() throws CliException {
    assertEquals(1, GcCommand.workers("1", 2));
    assertEquals(16, GcCommand.workers("16", 2));
  }

  @Test
  void aBadOverrideIsAOneLineError() {
    for (String bad : new String[] {"0", "-3", "four", "2.5"}) {
      CliException e = assertThrows(CliException.class, () -> GcCommand.workers(bad, 2));
      assertTrue(e.getMessage().startsWith("invalid JRKT_GC_WORKERS \"" + bad + "\""),
          e.getMessage());
    }
  }
}
