package io.jrkt.api;

import io.jrkt.logs.LogEntry;
import io.jrkt.logs.LogException;
import io.jrkt.logs.LogQuery;
import io.jrkt.logs.LogSource;

/** GetLogs over the engine's log source (journald for pods run as systemd units). */
final class EngineLogSource implements PodLogSource {
  private final LogSource source;

  EngineLogSource(LogSource source) {
    this.source = source;
  }

  @Override
  public void read(Query q, Sink sink) throws LogsUnavailableException, InterruptedException {
    LogQuery query = new LogQuery(q.pod(), q.app(), q.lines(), q.follow(), q.since(), q.until());
    try {
      source.read(query, (LogEntry e) -> sink.accept(new Entry(e.time(), e.app(), e.message())));
    } catch (LogException e) {
      // The pod exists (the service checked) but keeps no readable journal.
      throw new LogsUnavailableException(e.getMessage(), false);
    }
  }
}
