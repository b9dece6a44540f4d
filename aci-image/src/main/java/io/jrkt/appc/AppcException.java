package io.jrkt.appc;

/**
 * An appc manifest, name, label or other schema value is malformed. The message is one line that
 * says what is wrong and where, e.g. {@code image manifest: app.user: must not be empty}.
 */
public class AppcException extends Exception {
  private static final long serialVersionUID = 1L;

  public AppcException(String message) {
    super(message);
  }

  public AppcException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The same problem, located: {@code where + ": " + message}. */
  public AppcException at(String where) {
    return new AppcException(where + ": " + getMessage(), this);
  }
}
