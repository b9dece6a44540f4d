package io.jrkt.logs;

import java.time.Instant;
import java.util.Objects;

/** One line an app printed: when journald (or another store) received it, the app, the text. */
public record LogEntry(Instant time, String app, String message) {
  public LogEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(message, "message");
  }
}
