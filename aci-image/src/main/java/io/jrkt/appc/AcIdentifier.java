package io.jrkt.appc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An appc AC Identifier: image names and label, annotation and isolator names. Lowercase letters
 * and digits in segments joined by single {@code - . _ ~ /} characters.
 */
public record AcIdentifier(String value) implements Comparable<AcIdentifier> {
  private static final Pattern VALID = Pattern.compile("^[a-z0-9]+([-._~/][a-z0-9]+)*$");
  private static final Pattern INVALID_CHARS = Pattern.compile("[^a-z0-9\\-._~/]");
  private static final Pattern SEPARATOR_RUNS = Pattern.compile("([-._~/])[-._~/]+");
  private static final Pattern SEPARATOR_EDGES = Pattern.compile("^[-._~/]+|[-._~/]+$");
  static final String RULE = "lowercase letters and digits, joined by single -._~/ characters";

  public AcIdentifier {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(problem(value));
    }
  }

  public static boolean isValid(String s) {
    return s != null && VALID.matcher(s).matches();
  }

  public static AcIdentifier parse(String s) throws AppcException {
    if (!isValid(s)) {
      throw new AppcException(problem(s));
    }
    return new AcIdentifier(s);
  }

  /**
   * Turns an arbitrary string (a docker name, a port spec) into an identifier: lowercased,
   * invalid characters replaced by {@code _}, runs of separators collapsed, separators at the
   * ends dropped.
   *
   * @throws IllegalArgumentException when no letter or digit remains
   */
  public static AcIdentifier sanitize(String s) {
    String t = INVALID_CHARS.matcher(s.toLowerCase(java.util.Locale.ROOT)).replaceAll("_");
    t = SEPARATOR_RUNS.matcher(t).replaceAll("$1");
    t = SEPARATOR_EDGES.matcher(t).replaceAll("");
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          Names.quote(s) + " cannot be made an AC Identifier: it has no letter or digit");
    }
    return new AcIdentifier(t);
  }

  static String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty (an AC Identifier: " + RULE + ")";
    }
    return Names.quote(s) + " is not a valid AC Identifier (" + RULE + ")";
  }

  @Override
  public int compareTo(AcIdentifier o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
