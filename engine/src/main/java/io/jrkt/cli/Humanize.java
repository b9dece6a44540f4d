package io.jrkt.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The human-readable sizes and times rkt's listings print (go-humanize's {@code IBytes} and
 * {@code Time} as rkt vendored them, and Go's time layout {@code 2006-01-02 15:04:05.999 -0700 MST}),
 * so that scripts parsing rkt's output keep working.
 */
public final class Humanize {
  private static final String[] IEC_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private static final long SECOND = 1;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  private static final long WEEK = 7 * DAY;
  private static final long MONTH = 30 * DAY;
  private static final long YEAR = 12 * MONTH;
  private static final long LONG_TIME = 37 * YEAR;

  /**
   * go-humanize's relative-time table: the first row whose bound exceeds the distance gives the
   * text; {@code %d} is the distance divided by the row's unit.
   */
  private static final Magnitude[] MAGNITUDES = {
      new Magnitude(SECOND, "now", SECOND),
      new Magnitude(2 * SECOND, "1 second %s", 1),
      new Magnitude(MINUTE, "%d seconds %s", SECOND),
      new Magnitude(2 * MINUTE, "1 minute %s", 1),
      new Magnitude(HOUR, "%d minutes %s", MINUTE),
      new Magnitude(2 * HOUR, "1 hour %s", 1),
      new Magnitude(DAY, "%d hours %s", HOUR),
      new Magnitude(2 * DAY, "1 day %s", 1),
      new Magnitude(WEEK, "%d days %s", DAY),
      new Magnitude(2 * WEEK, "1 week %s", 1),
      new Magnitude(MONTH, "%d weeks %s", WEEK),
      new Magnitude(2 * MONTH, "1 month %s", 1),
      new Magnitude(YEAR, "%d months %s", MONTH),
      new Magnitude(18 * MONTH, "1 year %s", 1),
      new Magnitude(2 * YEAR, "2 years %s", 1),
      new Magnitude(LONG_TIME, "%d years %s", YEAR),
      new Magnitude(Long.MAX_VALUE, "a long while %s", 1),
  };

  /** The formatters of {@link #goTime}, built on first use: listings without --full skip them. */
  private static final class GoLayout {
    static final DateTimeFormatter DATE_TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx", Locale.ROOT);
    static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzz", Locale.ROOT);
  }

  /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: the years written with four digits. */
  private static final Instant FOUR_DIGIT_YEARS_START = Instant.ofEpochSecond(-62_167_219_200L);
  private static final Instant FOUR_DIGIT_YEARS_END = Instant.ofEpochSecond(253_402_300_800L);

  /** Distances below {@code bound} seconds print as {@code format}, counted in {@code unit}s. */
  private record Magnitude(long bound, String format, long unit) {}

  private Humanize() {}

  /**
   * A byte count in IEC units with at most one decimal below 10, as go-humanize's {@code IBytes}:
   * {@code 9B}, {@code 1.0KiB}, {@code 3.4MiB}, {@code 12MiB}.
   */
  public static String iecBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    if (bytes < 10) {
      return bytes + "B";
    }
    int exponent = 0;
    double unit = 1;
    while (exponent < IEC_UNITS.length - 1 && bytes >= unit * 1024) {
      unit *= 1024;
      exponent++;
    }
    // The value rounded to tenths; written out by hand, as String.format's set-up of locale data
    // costs a listing milliseconds. Whole units round half up, as "%.0f" does.
    long tenths = (long) Math.floor(bytes / unit * 10 + 0.5);
    return tenths < 100
        ? tenths / 10 + "." + tenths % 10 + IEC_UNITS[exponent]
        : (tenths + 5) / 10 + IEC_UNITS[exponent];
  }

  /** How long ago {@code then} was, seen from now: {@code 2 minutes ago}, {@code now}. */
  public static String relativeTime(Instant then) {
    return relativeTime(then, Instant.now());
  }

  /** {@code then} relative to {@code now}: {@code 3 hours ago}, {@code 1 day from now}. */
  public static String relativeTime(Instant then, Instant now) {
    String label = "ago";
    Duration diff = Duration.between(then, now);
    if (then.isAfter(now)) {
      label = "from now";
      diff = diff.negated();
    }
    // Whole seconds decide: a bound (whole seconds) exceeds the distance iff it exceeds its
    // whole-second part, and the divisions below truncate the same way.
    long seconds = diff.getSeconds();
    for (Magnitude m : MAGNITUDES) {
      if (m.bound > seconds) {
        // Filled in by hand: String.format sets up locale data, which costs a listing
        // milliseconds.
        return m.format.replace("%d", Long.toString(seconds / m.unit)).replace("%s", label);
      }
    }
    throw new AssertionError("unreachable: the last magnitude is unbounded");
  }

  /**
   * Go's {@code 2006-01-02 15:04:05.999 -0700 MST} in the local time zone: fractional seconds to
   * milliseconds with trailing zeros (and a bare dot) dropped, then the offset and zone
   * abbreviation.
   */
  public static String goTime(Instant t) {
    TimeZone local = TimeZone.getDefault();
    String id = local.getID();
    if ((id.equals("UTC") || id.equals("Etc/UTC")) && !t.isBefore(FOUR_DIGIT_YEARS_START)
        && t.isBefore(FOUR_DIGIT_YEARS_END)) {
      // The usual zone of a server, written without java.time's zone rules and formatters:
      // setting those up (it scans the class path for zone providers) costs a status call tens
      // of milliseconds.
      return utc(t);
    }
    return goTime(t, local.toZoneId());
  }

  public static String goTime(Instant t, ZoneId zone) {
    ZonedDateTime z = t.atZone(zone);
    StringBuilder sb = new StringBuilder(GoLayout.DATE_TIME.format(z));
    appendMillis(sb, z.getNano());
    sb.append(' ').append(GoLayout.OFFSET.format(z)).append(' ').append(zoneAbbreviation(z));
    return sb.toString();
  }

  /** {@link #goTime} in UTC, for the years written with four digits. */
  static String utc(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(),
        ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(32);
    digits(sb, d.getYear(), 4).append('-');
    digits(sb, d.getMonthValue(), 2).append('-');
    digits(sb, d.getDayOfMonth(), 2).append(' ');
    digits(sb, d.getHour(), 2).append(':');
    digits(sb, d.getMinute(), 2).append(':');
    digits(sb, d.getSecond(), 2);
    appendMillis(sb, d.getNano());
    return sb.append(" +0000 UTC").toString();
  }

  /** Milliseconds with trailing zeros (and a bare dot) dropped, as Go's {@code .999}. */
  private static void appendMillis(StringBuilder sb, int nanos) {
    int millis = nanos / 1_000_000;
    if (millis != 0) {
      StringBuilder frac = digits(new StringBuilder(3), millis, 3);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
  }

  private static StringBuilder digits(StringBuilder sb, int value, int width) {
    String v = Integer.toString(value);
    for (int i = v.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(v);
  }

  private static String zoneAbbreviation(ZonedDateTime z) {
    String id = z.getZone().getId();
    if (id.equals("Z") || id.equals("UTC") || id.equals("Etc/UTC")) {
      return "UTC";
    }
    String name = GoLayout.ZONE_NAME.format(z);
    if (!name.chars().anyMatch(Character::isDigit)) {
      return name;
    }
    // Zones without an abbreviation: the zone database (and so Go) names them by their offset,
    // hours only when the minutes are zero: +03, -0330.
    int seconds = z.getOffset().getTotalSeconds();
    int abs = Math.abs(seconds);
    String hours = String.format(Locale.ROOT, "%c%02d", seconds < 0 ? '-' : '+', abs / 3600);
    int minutes = abs % 3600 / 60;
    return minutes == 0 ? hours : hours + String.format(Locale.ROOT, "%02d", minutes);
  }
}
