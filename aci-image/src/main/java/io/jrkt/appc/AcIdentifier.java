package io.jrkt.appc;

import java.util.Objects;

/**
 * An appc AC Identifier: image names and label, annotation and isolator names. Lowercase letters
 * and digits in segments joined by single {@code - . _ ~ /} characters.
 */
public record AcIdentifier(String value) implements Comparable<AcIdentifier> {
  private static final NameSyntax SYNTAX = new NameSyntax("AC Identifier",
      "lowercase letters and digits, joined by single -._~/ characters",
      "^[a-z0-9]+([-._~/][a-z0-9]+)*$", "[^a-z0-9\\-._~/]", "_", "([-._~/])[-._~/]+", "$1",
      "^[-._~/]+|[-._~/]+$");

  public AcIdentifier {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(problem(value));
    }
  }

  public static boolean isValid(String s) {
    return SYNTAX.isValid(s);
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
    return new AcIdentifier(SYNTAX.sanitize(s));
  }

  static String problem(String s) {
    return SYNTAX.problem(s);
  }

  @Override
  public int compareTo(AcIdentifier o) {
    return value.compareTo(o.value);
  }

  // equals and hashCode are written out: the generated ones are bootstrapped through method
  // handles on first use, which costs milliseconds of every CLI start.
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof AcIdentifier && ((AcIdentifier) o).value.equals(value));
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
