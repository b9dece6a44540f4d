package io.jrkt.appc;

import java.util.Objects;

/** One image label; the name is an AC Identifier. */
public record Label(String name, String value) implements NamedValue {
  public Label {
    if (!AcIdentifier.isValid(name)) {
      throw new IllegalArgumentException("label name " + AcIdentifier.problem(name));
    }
    Objects.requireNonNull(value, "value");
  }

  // equals and hashCode are written out: the generated ones are bootstrapped through method
  // handles on first use, which costs milliseconds of every CLI start.
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Label)) {
      return false;
    }
    Label other = (Label) o;
    return name.equals(other.name) && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + value.hashCode();
  }
}
