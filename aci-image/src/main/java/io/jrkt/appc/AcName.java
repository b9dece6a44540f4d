package io.jrkt.appc;

import java.util.Objects;

/**
 * An appc AC Name: app, volume, mount point and port names. Lowercase letters and digits in
 * segments joined by single dashes.
 */
public record AcName(String value) implements Comparable<AcName> {
  private static final NameSyntax SYNTAX = new NameSyntax("AC Name",
      "lowercase letters and digits, joined by single dashes", "^[a-z0-9]+(-[a-z0-9]+)*$",
      "[^a-z0-9-]", "-", "-{2,}", "-", "^-+|-+$");

  public AcName {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(problem(value));
    }
  }

  public static boolean isValid(String s) {
    return SYNTAX.isValid(s);
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
    return new AcName(SYNTAX.sanitize(s));
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
    return SYNTAX.problem(s);
  }

  @Override
  public int compareTo(AcName o) {
    return value.compareTo(o.value);
  }

  // equals and hashCode are written out: the generated ones are bootstrapped through method
  // handles on first use, which costs milliseconds of every CLI start.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof AcName && ((AcName) o).value.equals(value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
