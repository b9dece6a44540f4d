package io.jrkt.api;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Times as Go's {@code time.Time.String()} prints them,
 * {@code 2006-01-02 15:04:05.999999999 -0700 MST}: fraction without trailing zeros (none at all
 * when zero), numeric offset, then the zone abbreviation. rkt's GetLogs lines start with this
 * and the kubelet parses it.
 */
final class GoTime {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xx", Locale.ROOT);

  private GoTime() {}

  static String format(Instant t, ZoneId zone) {
    ZonedDateTime z = t.atZone(zone);
    StringBuilder sb = new StringBuilder(48).append(DATE_TIME.format(z));
    int nanos = z.getNano();
    if (nanos != 0) {
      String frac = String.valueOf(1_000_000_000 + nanos).substring(1);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    String offset = OFFSET.format(z);
    sb.append(' ').append(offset).append(' ').append(abbreviation(z, offset));
    return sb.toString();
  }

  /**
   * The zone's short name ({@code UTC}, {@code CEST}); where it has none Go prints the offset
   * itself, shortened to hours when the minutes are zero ({@code +02}).
   */
  private static String abbreviation(ZonedDateTime z, String offset) {
    if (z.getOffset().getTotalSeconds() == 0 && (z.getZone().getId().equals("Z")
        || z.getZone().getId().equals("UTC") || z.getZone().getId().equals("Etc/UTC"))) {
      return "UTC";
    }
    String name = z.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT);
    String dst = DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(z);
    String abbr = dst.isEmpty() ? name : dst;
    if (abbr.startsWith("GMT") && abbr.length() > 3 || abbr.startsWith("UTC") && abbr.length() > 3
        || abbr.equals(z.getZone().getId())) {
      return offset.endsWith("00") ? offset.substring(0, 3) : offset;
    }
    return abbr;
  }

  /** One GetLogs line: time, then the journal field as the journal reader returns it. */
  static String logLine(Instant t, ZoneId zone, String message) {
    return format(t, zone) + " MESSAGE=" + message;
  }
}
