package io.jrkt.logs;

/** Logs cannot be read: the pod has none, the log store failed, ...; the message says which. */
public class LogException extends Exception {
  private static final long serialVersionUID = 1L;

  public LogException(String message) {
    super(message);
  }

  public LogException(String message, Throwable cause) {
    super(message, cause);
  }
}
