package io.jrkt.logs;

/** Receives log entries; returns false to stop the read. */
public interface LogSink {
  boolean accept(LogEntry e);
}
