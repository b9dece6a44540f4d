package io.jrkt.systemd;

/** A call to systemd failed; the message names the unit or bus address and why. */
public class SystemdException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently (e.g. a unit that is gone). */
  public enum Kind { BUS_UNREACHABLE, UNIT_EXISTS, NO_SUCH_UNIT, CALL_FAILED, TIMED_OUT }

  private final Kind kind;

  public SystemdException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SystemdException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
