package io.jrkt.appc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes-style resource quantity as used by the resource isolators: a decimal number with
 * an optional binary (Ki, Mi, ... Ei), decimal (n, u, m, k, M, ... E) or exponent suffix, e.g.
 * {@code 128M}, {@code 1Gi}, {@code 500m}, {@code 1}, {@code 1e3}. {@code value} is in base
 * units (bytes for memory, cores for cpu).
 */
public record Quantity(String text, BigDecimal value) {
  private static final Pattern SYNTAX = Pattern.compile(
      "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))"
          + "(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");

  public Quantity {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(value, "value");
  }

  public static Quantity parse(String text) throws AppcException {
    Quantity q = parseOrNull(text);
    if (q == null) {
      throw new AppcException(Names.quote(text) + " is not a quantity (e.g. 128M, 1Gi, 500m, 1)");
    }
    return q;
  }

  static Quantity parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return null;
    }
    BigDecimal number = new BigDecimal(m.group(1).endsWith(".")
        ? m.group(1).substring(0, m.group(1).length() - 1) : m.group(1));
    String suffix = m.group(2);
    return new Quantity(text, suffix == null ? number : scale(number, suffix));
  }

  private static BigDecimal scale(BigDecimal n, String suffix) {
    switch (suffix) {
      case "Ki": return n.multiply(BigDecimal.valueOf(1L << 10));
      case "Mi": return n.multiply(BigDecimal.valueOf(1L << 20));
      case "Gi": return n.multiply(BigDecimal.valueOf(1L << 30));
      case "Ti": return n.multiply(BigDecimal.valueOf(1L << 40));
      case "Pi": return n.multiply(BigDecimal.valueOf(1L << 50));
      case "Ei": return n.multiply(BigDecimal.valueOf(1L << 60));
      case "n": return n.scaleByPowerOfTen(-9);
      case "u": return n.scaleByPowerOfTen(-6);
      case "m": return n.scaleByPowerOfTen(-3);
      case "k": return n.scaleByPowerOfTen(3);
      case "M": return n.scaleByPowerOfTen(6);
      case "G": return n.scaleByPowerOfTen(9);
      case "T": return n.scaleByPowerOfTen(12);
      case "P": return n.scaleByPowerOfTen(15);
      case "E": return n.scaleByPowerOfTen(18);
      default: return n.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
    }
  }

  public boolean isNegative() {
    return value.signum() < 0;
  }

  /** The value rounded up to a whole number (bytes for memory), saturating at Long.MAX_VALUE. */
  public long ceilLong() {
    BigDecimal c = value.setScale(0, RoundingMode.CEILING);
    return c.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : c.longValue();
  }

  /** The value in thousandths rounded up (milli-cores for cpu), saturating at Long.MAX_VALUE. */
  public long ceilMilli() {
    BigDecimal c = value.scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING);
    return c.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : c.longValue();
  }

  @Override
  public String toString() {
    return text;
  }
}
