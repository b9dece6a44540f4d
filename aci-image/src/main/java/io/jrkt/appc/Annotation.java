package io.jrkt.appc;

import java.util.Objects;

/** One annotation; the name is an AC Identifier. */
public record Annotation(String name, String value) implements NamedValue {
  public Annotation {
    if (!AcIdentifier.isValid(name)) {
      throw new IllegalArgumentException("annotation name " + AcIdentifier.problem(name));
    }
    Objects.requireNonNull(value, "value");
  }
}
