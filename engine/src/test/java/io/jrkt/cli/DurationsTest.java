package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesGoDurations() throws Exception {
    assertEquals(Duration.ZERO, Durations.parse("0"));
    assertEquals(Duration.ZERO, Durations.parse("0s"));
    assertEquals(Duration.ofMinutes(30), Durations.parse("30m0s"));
    assertEquals(Duration.ofHours(24), Durations.parse("24h0m0s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMillis(500), Durations.parse(".5s"));
    assertEquals(Duration.ofSeconds(5), Durations.parse("5.s"));
    assertEquals(Duration.ofNanos(2_000), Durations.parse("2us"));
    assertEquals(Duration.ofNanos(2_000), Durations.parse("2\u00b5s"));
    assertEquals(Duration.ofNanos(7), Durations.parse("7ns"));
    assertEquals(Duration.ofMinutes(-90), Durations.parse("-1.5h"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("+10s"));
  }

  @Test
  void rejectsMalformedDurations() {
    for (String bad : new String[] {"", "10", "s", "1x", "1.2.3s", ".s", "-", "1h-30m", "30 m"}) {
      Durations.DurationException e = assertThrows(Durations.DurationException.class,
          () -> Durations.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("invalid duration \"" + bad + "\""), e.getMessage());
    }
  }

  @Test
  void formatsLikeGo() {
    assertEquals("0s", Durations.format(Duration.ZERO));
    assertEquals("30m0s", Durations.format(Duration.ofMinutes(30)));
    assertEquals("24h0m0s", Durations.format(Duration.ofHours(24)));
    assertEquals("1h30m0s", Durations.format(Duration.ofMinutes(90)));
    assertEquals("1h0m1s", Durations.format(Duration.ofSeconds(3601)));
    assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
    assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
    assertEquals("1.25ms", Durations.format(Duration.ofNanos(1_250_000)));
    assertEquals("2\u00b5s", Durations.format(Duration.ofNanos(2_000)));
    assertEquals("7ns", Durations.format(Duration.ofNanos(7)));
    assertEquals("-2m3.000000004s", Durations.format(Duration.ofNanos(-123_000_000_004L)));
  }

  @Test
  void formatThenParseIsIdentity() throws Exception {
    for (long n : new long[] {1, 999, 1_001, 59_999_999_999L, 3_600_000_000_001L}) {
      Duration d = Duration.ofNanos(n);
      assertEquals(d, Durations.parse(Durations.format(d)));
    }
  }
}
