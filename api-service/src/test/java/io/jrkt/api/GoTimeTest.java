package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class GoTimeTest {
  @Test
  void fractionLosesTrailingZerosAndVanishesWhenZero() {
    Instant t = Instant.parse("2016-05-18T08:07:35.312345Z");
    assertEquals("2016-05-18 08:07:35.312345 +0000 UTC", GoTime.format(t, ZoneId.of("UTC")));
    assertEquals("2016-05-18 08:07:35 +0000 UTC",
        GoTime.format(Instant.parse("2016-05-18T08:07:35Z"), ZoneId.of("UTC")));
    assertEquals("2016-05-18 08:07:35.000000001 +0000 UTC",
        GoTime.format(Instant.parse("2016-05-18T08:07:35.000000001Z"), ZoneId.of("Etc/UTC")));
  }

  @Test
  void namedZonesPrintTheirAbbreviation() {
    Instant summer = Instant.parse("2016-05-18T08:07:35.312345Z");
    assertEquals("2016-05-18 10:07:35.312345 +0200 CEST",
        GoTime.format(summer, ZoneId.of("Europe/Berlin")));
    assertEquals("2016-01-18 09:07:35 +0100 CET",
        GoTime.format(Instant.parse("2016-01-18T08:07:35Z"), ZoneId.of("Europe/Berlin")));
  }

  @Test
  void logLineHasTheShapeTheKubeletSplits() {
    String line = GoTime.logLine(Instant.parse("2020-02-03T04:05:06.7Z"), ZoneId.of("UTC"),
        "hello world");
    assertEquals("2020-02-03 04:05:06.7 +0000 UTC MESSAGE=hello world", line);
  }
}
