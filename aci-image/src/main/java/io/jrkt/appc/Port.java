package io.jrkt.appc;

import java.util.Objects;

/**
 * A port an app listens on: {@code count} consecutive ports from {@code port}. A count of 0
 * means 1, as in appc.
 */
public record Port(AcName name, String protocol, int port, int count, boolean socketActivated) {
  public Port {
    Objects.requireNonNull(name, "name");
    if (protocol == null || protocol.isEmpty()) {
      throw new IllegalArgumentException("port " + name + ": protocol must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port " + name + ": port must be from 1 to 65535, got " + port);
    }
    if (count < 0) {
      throw new IllegalArgumentException(
          "port " + name + ": count must not be negative, got " + count);
    }
    if (count == 0) {
      count = 1;
    }
    if ((long) port + count > 65536) {
      throw new IllegalArgumentException("port " + name + ": range " + port + "+" + count
          + " ends after 65535");
    }
  }

  public Port(AcName name, String protocol, int port) {
    this(name, protocol, port, 1, false);
  }
}
