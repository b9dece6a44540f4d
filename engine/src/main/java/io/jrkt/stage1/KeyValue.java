package io.jrkt.stage1;

import java.util.Objects;

/** A {@code KEY=VALUE} flag value ({@code --set-env}, {@code --annotation}, ...). */
public record KeyValue(String key, String value) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("empty key");
    }
  }

  /**
   * Splits at the first {@code =}; the key must not be empty, the value may be.
   *
   * @param flag the flag's name for the error message, e.g. {@code --set-env}
   */
  public static KeyValue parse(String flag, String text) throws ArgsException {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new ArgsException(flag + "=" + text + ": want KEY=VALUE");
    }
    return new KeyValue(text.substring(0, eq), text.substring(eq + 1));
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
