package io.jrkt.appc;

import java.util.Objects;

/** One image label; the name is an AC Identifier. */
public record Label(String name, String value) {
  public Label {
    if (!AcIdentifier.isValid(name)) {
      throw new IllegalArgumentException("label name " + AcIdentifier.problem(name));
    }
    Objects.requireNonNull(value, "value");
  }
}
