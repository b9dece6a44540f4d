package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HumanizeTest {
  @Test
  void bytesFollowGoHumanizeIBytes() {
    assertEquals("0B", Humanize.iecBytes(0));
    assertEquals("9B", Humanize.iecBytes(9));
    assertEquals("10B", Humanize.iecBytes(10));
    assertEquals("1023B", Humanize.iecBytes(1023));
    assertEquals("1.0KiB", Humanize.iecBytes(1024));
    assertEquals("1.5KiB", Humanize.iecBytes(1536));
    assertEquals("10KiB", Humanize.iecBytes(10 * 1024));
    // 1048575 B is 1023.999 KiB, rounded to 1024 in its own unit as go-humanize does.
    assertEquals("1024KiB", Humanize.iecBytes(1048575));
    assertEquals("1.0MiB", Humanize.iecBytes(1L << 20));
    assertEquals("3.4MiB", Humanize.iecBytes(3565158));
    assertEquals("100MiB", Humanize.iecBytes(100L << 20));
    assertEquals("2.0GiB", Humanize.iecBytes(2L << 30));
    assertEquals("8.0EiB", Humanize.iecBytes(Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> Humanize.iecBytes(-1));
  }

  @Test
  void relativeTimesFollowGoHumanizeTime() {
    Instant now = Instant.parse("2024-05-01T12:00:00Z");
    assertEquals("now", Humanize.relativeTime(now, now));
    assertEquals("now", Humanize.relativeTime(now.minusMillis(999), now));
    assertEquals("1 second ago", Humanize.relativeTime(now.minusSeconds(1), now));
    assertEquals("59 seconds ago", Humanize.relativeTime(now.minusMillis(59_999), now));
    assertEquals("1 minute ago", Humanize.relativeTime(now.minusSeconds(60), now));
    assertEquals("2 minutes ago", Humanize.relativeTime(now.minusSeconds(150), now));
    assertEquals("1 hour ago", Humanize.relativeTime(now.minus(Duration.ofMinutes(119)), now));
    assertEquals("23 hours ago", Humanize.relativeTime(now.minus(Duration.ofHours(23)), now));
    assertEquals("1 day ago", Humanize.relativeTime(now.minus(Duration.ofHours(47)), now));
    assertEquals("6 days ago", Humanize.relativeTime(now.minus(Duration.ofDays(6)), now));
    assertEquals("1 week ago", Humanize.relativeTime(now.minus(Duration.ofDays(13)), now));
    assertEquals("4 weeks ago", Humanize.relativeTime(now.minus(Duration.ofDays(29)), now));
    assertEquals("1 month ago", Humanize.relativeTime(now.minus(Duration.ofDays(59)), now));
    assertEquals("11 months ago", Humanize.relativeTime(now.minus(Duration.ofDays(359)), now));
    assertEquals("1 year ago", Humanize.relativeTime(now.minus(Duration.ofDays(365)), now));
    assertEquals("2 years ago", Humanize.relativeTime(now.minus(Duration.ofDays(600)), now));
    assertEquals("5 years ago", Humanize.relativeTime(now.minus(Duration.ofDays(5 * 360)), now));
    assertEquals("a long while ago",
        Humanize.relativeTime(now.minus(Duration.ofDays(40 * 360)), now));
    assertEquals("3 minutes from now", Humanize.relativeTime(now.plusSeconds(200), now));
  }

  @Test
  void goTimeLayoutDropsTrailingZerosOfTheFraction() {
    ZoneId utc = ZoneId.of("UTC");
    assertEquals("2024-05-01 12:00:00 +0000 UTC",
        Humanize.goTime(Instant.parse("2024-05-01T12:00:00Z"), utc));
    assertEquals("2024-05-01 12:00:00.5 +0000 UTC",
        Humanize.goTime(Instant.parse("2024-05-01T12:00:00.500Z"), utc));
    assertEquals("2024-05-01 12:00:00.123 +0000 UTC",
        Humanize.goTime(Instant.parse("2024-05-01T12:00:00.123456Z"), utc));
    assertEquals("2024-05-01 12:00:00.01 +0000 UTC",
        Humanize.goTime(Instant.parse("2024-05-01T12:00:00.010Z"), utc));
    assertEquals("2024-05-01 14:00:00 +0200 CEST",
        Humanize.goTime(Instant.parse("2024-05-01T12:00:00Z"), ZoneId.of("Europe/Berlin")));
    assertEquals("2024-01-01 13:00:00 +0100 CET",
        Humanize.goTime(Instant.parse("2024-01-01T12:00:00Z"), ZoneId.of("Europe/Berlin")));
    assertEquals("2024-05-01 15:00:00 +0300 +03",
        Humanize.goTime(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.ofHours(3)));
  }

  @Test
  void theUtcShortcutWritesWhatTheZoneRulesWrite() {
    java.util.Random r = new java.util.Random(7);
    ZoneId utc = ZoneId.of("UTC");
    for (int i = 0; i < 5000; i++) {
      long sec = (long) (r.nextDouble() * 253_402_300_799L);
      int nano = i % 3 == 0 ? 0 : r.nextInt(1_000_000_000);
      Instant t = Instant.ofEpochSecond(sec, nano);
      assertEquals(Humanize.goTime(t, utc), Humanize.utc(t), t.toString());
    }
  }

  @Test
  void iecBytesPrintsWhatPrintfWould() {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < 20_000; i++) {
      long bytes = i < 4000 ? 10 + i * 517L : (r.nextLong() >>> r.nextInt(63));
      if (bytes < 10) {
        continue;
      }
      int exponent = 0;
      double unit = 1;
      while (exponent < units.length - 1 && bytes >= unit * 1024) {
        unit *= 1024;
        exponent++;
      }
      double value = Math.floor(bytes / unit * 10 + 0.5) / 10;
      String printf = value < 10
          ? String.format(java.util.Locale.ROOT, "%.1f%s", value, units[exponent])
          : String.format(java.util.Locale.ROOT, "%.0f%s", value, units[exponent]);
      assertEquals(printf, Humanize.iecBytes(bytes), Long.toString(bytes));
    }
  }
}
