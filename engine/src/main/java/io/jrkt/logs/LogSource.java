package io.jrkt.logs;

/**
 * Where a pod's app output can be read back from. One implementation per log store: journald
 * today ({@link JournalLogSource}); a stage1 that keeps logs elsewhere supplies its own.
 */
public interface LogSource {
  /**
   * Delivers the entries {@code q} asks for to {@code sink}, oldest first. Returns when they are
   * all delivered (not following), when the sink returns false, or (following) when the thread
   * is interrupted, which then throws {@link InterruptedException}.
   */
  void read(LogQuery q, LogSink sink) throws LogException, InterruptedException;
}
