package io.jrkt.logs;

import io.jrkt.pod.PodUuid;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which log entries to read: of one pod, optionally of one app, the last {@code lines} only,
 * following new ones, from {@code since} and before {@code until}.
 */
public record LogQuery(PodUuid pod, Optional<String> app, OptionalInt lines, boolean follow,
    Optional<Instant> since, Optional<Instant> until) {
  public LogQuery {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    if (lines.isPresent() && lines.getAsInt() < 0) {
      throw new IllegalArgumentException("negative line count " + lines.getAsInt());
    }
    if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
      throw new IllegalArgumentException("until " + until.get() + " is before since "
          + since.get());
    }
  }

  /** Every entry of the pod, not following. */
  public static LogQuery all(PodUuid pod) {
    return new LogQuery(pod, Optional.empty(), OptionalInt.empty(), false, Optional.empty(),
        Optional.empty());
  }

  /** Whether {@code e} falls into the time window. */
  public boolean inWindow(LogEntry e) {
    return (since.isEmpty() || !e.time().isBefore(since.get()))
        && (until.isEmpty() || e.time().isBefore(until.get()));
  }
}
