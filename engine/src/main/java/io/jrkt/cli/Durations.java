package io.jrkt.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Go's duration syntax, which rkt's flags use ({@code --grace-period=30m0s}): parsing as Go's
 * {@code time.ParseDuration} and printing as Go's {@code Duration.String}.
 */
public final class Durations {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Durations() {}

  /**
   * Parses a signed sequence of decimal numbers, each with an optional fraction and a unit
   * ({@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), such as
   * {@code 300ms}, {@code -1.5h} or {@code 2h45m}; a bare {@code 0} is allowed.
   */
  public static Duration parse(String text) throws DurationException {
    String s = text;
    if (s == null || s.isEmpty()) {
      throw new DurationException("invalid duration \"\": empty");
    }
    boolean negative = false;
    int i = 0;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw new DurationException("invalid duration \"" + text + "\": no number");
    }
    BigDecimal totalNanos = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      if (number.isEmpty() || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.')) {
        throw new DurationException("invalid duration \"" + text + "\": expected a number at \""
            + s.substring(start) + "\"");
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      long unitNanos = unitNanos(unit, text);
      totalNanos = totalNanos.add(new BigDecimal(number.startsWith(".") ? "0" + number : number)
          .multiply(BigDecimal.valueOf(unitNanos)));
    }
    BigDecimal nanos = totalNanos.setScale(0, RoundingMode.DOWN);
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new DurationException("invalid duration \"" + text + "\": out of range");
    }
    long n = nanos.longValueExact();
    return Duration.ofNanos(negative ? -n : n);
  }

  private static long unitNanos(String unit, String text) throws DurationException {
    switch (unit) {
      case "ns": return 1;
      case "us":
      case "\u00b5s": // micro sign
      case "\u03bcs": // Greek mu
        return 1_000;
      case "ms": return 1_000_000;
      case "s": return NANOS_PER_SECOND;
      case "m": return 60 * NANOS_PER_SECOND;
      case "h": return 3600 * NANOS_PER_SECOND;
      case "":
        throw new DurationException("invalid duration \"" + text + "\": missing unit");
      default:
        throw new DurationException("invalid duration \"" + text + "\": unknown unit \"" + unit
            + "\"");
    }
  }

  /** Go's form: {@code 0s}, {@code 1.5s}, {@code 30m0s}, {@code 24h0m0s}, {@code 500ms}, {@code 2µs}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (nanos < 0) {
      sb.append('-');
    }
    // Magnitudes as unsigned so that Long.MIN_VALUE works like in Go.
    long u = Math.abs(nanos);
    if (u == Long.MIN_VALUE) {
      return "-2562047h47m16.854775808s";
    }
    if (u < NANOS_PER_SECOND) {
      if (u < 1_000) {
        return sb.append(u).append("ns").toString();
      } else if (u < 1_000_000) {
        return sb.append(fraction(u, 1_000)).append("\u00b5s").toString();
      } else {
        return sb.append(fraction(u, 1_000_000)).append("ms").toString();
      }
    }
    long hours = u / (3600 * NANOS_PER_SECOND);
    u -= hours * 3600 * NANOS_PER_SECOND;
    long minutes = u / (60 * NANOS_PER_SECOND);
    u -= minutes * 60 * NANOS_PER_SECOND;
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    return sb.append(fraction(u, NANOS_PER_SECOND)).append('s').toString();
  }

  /** {@code value / unit} with the fraction's trailing zeros (and a bare dot) dropped. */
  private static String fraction(long value, long unit) {
    String whole = Long.toString(value / unit);
    long rest = value % unit;
    if (rest == 0) {
      return whole;
    }
    String digits = Long.toString(unit + rest).substring(1); // zero-padded to the unit's width
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    return whole + "." + digits.substring(0, end);
  }

  /** A malformed duration string. */
  public static final class DurationException extends Exception {
    public DurationException(String message) {
      super(message);
    }
  }
}
