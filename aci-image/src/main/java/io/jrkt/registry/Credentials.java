package io.jrkt.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** A user name and password for a registry (from an {@code auth.d} {@code dockerAuth} file). */
public record Credentials(String user, String password) {
  public Credentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** The value of an {@code Authorization: Basic} header. */
  public String basicHeader() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + user + ", password hidden]";
  }
}
