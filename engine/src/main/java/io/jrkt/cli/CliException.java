package io.jrkt.cli;

/**
 * A failure to report to the user: one line on stderr prefixed with the command name, then exit
 * 254 (rkt's exit code for any failure on its side) unless another code is given.
 */
public class CliException extends Exception {
  private final int exitCode;

  public CliException(String message) {
    this(message, 254);
  }

  public CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = 254;
  }

  public int exitCode() {
    return exitCode;
  }
}
