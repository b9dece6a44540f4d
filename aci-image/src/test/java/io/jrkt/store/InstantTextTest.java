package io.jrkt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {
  @Test
  void writesWhatInstantToStringWrites() {
    Random r = new Random(42);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      long sec = min + (long) (r.nextDouble() * (max - min));
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> r.nextInt(1000) * 1_000_000;
        case 2 -> r.nextInt(1_000_000) * 1000;
        default -> r.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(sec, nano);
      assertEquals(t.toString(), InstantText.format(t));
      assertEquals(t, InstantText.parse(t.toString()));
    }
  }

  @Test
  void edgesOfTheFourDigitYearsAndBeyond() {
    for (String s : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.5Z", "2024-02-29T12:00:00.000001Z",
        "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"}) {
      Instant t = Instant.parse(s);
      assertEquals(t.toString(), InstantText.format(t), s);
      assertEquals(t, InstantText.parse(s), s);
    }
  }

  @Test
  void whatOnlyTheJdkParserReadsIsStillRead() {
    for (String s : new String[] {"2024-01-01T24:00:00Z", "2024-06-30T23:59:60Z",
        "2024-01-01T10:00:00+02:00", "2024-01-01T00:00:00.Z"}) {
      assertEquals(Instant.parse(s), InstantText.parse(s), s);
    }
  }

  @Test
  void fractionsOfAnyLengthAsInstantParseReadsThem() {
    assertEquals(Instant.parse("2024-05-01T10:00:00.1Z"),
        InstantText.parse("2024-05-01T10:00:00.1Z"));
    assertEquals(Instant.parse("2024-05-01T10:00:00.12345Z"),
        InstantText.parse("2024-05-01T10:00:00.12345Z"));
  }

  @Test
  void rejectsWhatInstantParseRejects() {
    for (String s : new String[] {"2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00.1234567890Z", "yesterday", ""}) {
      assertThrows(DateTimeParseException.class, () -> Instant.parse(s), s);
      assertThrows(DateTimeParseException.class, () -> InstantText.parse(s), s);
    }
  }
}
