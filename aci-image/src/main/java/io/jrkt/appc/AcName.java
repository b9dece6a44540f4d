package io.jrkt.appc;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An appc AC Name: app, volume, mount point and port names. Lowercase letters and digits in
 * segments joined by single dashes.
 */
public record AcName(String value) implements Comparable<AcName> {
  private static final Pattern VALID = Pattern.compile("^[a-z0-9]+(-[a-z0-9]+)*$");
  private static final Pattern INVALID_CHARS = Pattern.compile("[^a-z0-9-]");
  private static final Pattern DASH_RUNS = Pattern.compile("-{2,}");
  private static final Pattern DASH_EDGES = Pattern.compile("^-+|-+$");
  static final String RULE = "lowercase letters and digits, joined by single dashes";

  public AcName {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(problem(value));
    }
  }

  public static boolean isValid(String s) {
    return s != null && VALID.matcher(s).matches();
  }

  public static AcName parse(String s) throws AppcException {
    if (!isValid(s)) {
      throw new AppcException(problem(s));
    }
    return new AcName(s);
  }

  /**
   * Lowercases, replaces every other character by a dash, collapses runs of dashes and drops
   * dashes at the ends.
   *
   * @throws IllegalArgumentException when no letter or digit remains
   */
  public static AcName sanitize(String s) {
    String t = INVALID_CHARS.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("-");
    t = DASH_RUNS.matcher(t).replaceAll("-");
    t = DASH_EDGES.matcher(t).replaceAll("");
    if (t.isEmpty()) {
      throw new IllegalArgumentException(
          Names.quote(s) + " cannot be made an AC Name: it has no letter or digit");
    }
    return new AcName(t);
  }

  /**
   * The default app name for an image: its last path element, sanitised
   * ({@code coreos.com/etcd} gives {@code etcd}, {@code example.com/my_app.v2} gives
   * {@code my-app-v2}).
   */
  public static AcName fromImageName(AcIdentifier imageName) {
    String name = imageName.value();
    return sanitize(name.substring(name.lastIndexOf('/') + 1));
  }

  static String problem(String s) {
    if (s == null || s.isEmpty()) {
      return "must not be empty (an AC Name: " + RULE + ")";
    }
    return Names.quote(s) + " is not a valid AC Name (" + RULE + ")";
  }

  @Override
  public int compareTo(AcName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
