package io.jrkt.api;

import io.jrkt.pod.PodUuid;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where GetLogs reads a pod's log entries from. The api-service only formats and streams them;
 * the journal reading belongs to the engine.
 */
public interface PodLogSource {
  /** One log entry of one app. */
  record Entry(Instant time, String app, String message) {}

  /** Receives entries in order; returning false stops the reading. */
  interface Sink {
    boolean accept(Entry e);
  }

  /** What to read: a pod, optionally one app, the last lines, a time window, follow or not. */
  record Query(PodUuid pod, Optional<String> app, OptionalInt lines, boolean follow,
      Optional<Instant> since, Optional<Instant> until) {}

  /**
   * Feeds the matching entries to {@code sink}; with {@code follow}, keeps waiting for new ones
   * until the sink returns false or the thread is interrupted.
   *
   * @throws LogsUnavailableException when the pod keeps no logs or they cannot be read
   */
  void read(Query q, Sink sink) throws LogsUnavailableException, InterruptedException;

  /** Why logs cannot be served: not built in at all, or not kept for this pod. */
  final class LogsUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean unsupported;

    /**
     * @param unsupported true when no pod can have logs here (no log source at all); false when
     *     this pod has none (e.g. its stage1 keeps no journal)
     */
    public LogsUnavailableException(String message, boolean unsupported) {
      super(message);
      this.unsupported = unsupported;
    }

    public boolean unsupported() {
      return unsupported;
    }
  }

  /** A source for builds and tests without any log store: every GetLogs is UNIMPLEMENTED. */
  static PodLogSource none() {
    return (q, sink) -> {
      throw new LogsUnavailableException("jrkt was built without a log source: GetLogs cannot"
          + " read the logs of pod " + q.pod(), true);
    };
  }
}
