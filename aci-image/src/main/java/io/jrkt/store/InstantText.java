package io.jrkt.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The text of a time in an info record: {@link Instant#toString()}'s ISO-8601 form
 * ({@code 2024-05-01T10:00:00.123Z}), written and read without {@code DateTimeFormatter}, whose
 * set-up costs milliseconds at every CLI start. Times that the short form does not cover (years
 * beyond 0000-9999, leap seconds) go through the JDK's formatter, so the accepted text is exactly
 * what {@link Instant#parse} accepts.
 */
final class InstantText {
  private static final int SECONDS_PER_DAY = 86_400;
  /** Epoch days of 0000-01-01 and 9999-12-31: the years written with four digits. */
  private static final long FIRST_DAY = -719_528;
  private static final long LAST_DAY = 2_932_896;
  /** {@code yyyy-MM-ddTHH:mm:ss}. */
  private static final int DATE_TIME_LENGTH = 19;

  private InstantText() {}

  /** The same text as {@link Instant#toString()}. */
  static String format(Instant t) {
    long days = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(t.getEpochSecond(), SECONDS_PER_DAY);
    if (days < FIRST_DAY || days > LAST_DAY) {
      return t.toString();
    }
    LocalDate d = LocalDate.ofEpochDay(days);
    StringBuilder sb = new StringBuilder(30);
    digits(sb, d.getYear(), 4).append('-');
    digits(sb, d.getMonthValue(), 2).append('-');
    digits(sb, d.getDayOfMonth(), 2).append('T');
    digits(sb, secondOfDay / 3600, 2).append(':');
    digits(sb, secondOfDay / 60 % 60, 2).append(':');
    digits(sb, secondOfDay % 60, 2);
    int nano = t.getNano();
    if (nano > 0) {
      // As ISO_INSTANT: milli-, micro- or nanoseconds, whichever shows every digit.
      sb.append('.');
      if (nano % 1_000_000 == 0) {
        digits(sb, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        digits(sb, nano / 1000, 6);
      } else {
        digits(sb, nano, 9);
      }
    }
    return sb.append('Z').toString();
  }

  /**
   * Parses what {@link #format} (or {@link Instant#toString()}) wrote.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  static Instant parse(String s) {
    Instant fast = parseShortForm(s);
    return fast != null ? fast : Instant.parse(s);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} in UTC; null for anything else. */
  private static Instant parseShortForm(String s) {
    int n = s.length();
    if (n < DATE_TIME_LENGTH + 1 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-'
        || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = number(s, 0, 4);
    int month = number(s, 5, 2);
    int day = number(s, 8, 2);
    int hour = number(s, 11, 2);
    int minute = number(s, 14, 2);
    int second = number(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return null;
    }
    int nano = 0;
    int end = n - 1;
    if (end > DATE_TIME_LENGTH) {
      int digits = end - DATE_TIME_LENGTH - 1;
      if (s.charAt(DATE_TIME_LENGTH) != '.' || digits < 1 || digits > 9) {
        return null;
      }
      nano = number(s, DATE_TIME_LENGTH + 1, digits);
      if (nano < 0) {
        return null;
      }
      for (int i = digits; i < 9; i++) {
        nano *= 10;
      }
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null; // Instant.parse reports it
    }
    return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L
        + second, nano);
  }

  /** The decimal number of {@code len} ASCII digits at {@code from}; -1 if one is not a digit. */
  private static int number(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static StringBuilder digits(StringBuilder sb, int value, int width) {
    String v = Integer.toString(value);
    for (int i = v.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(v);
  }
}
