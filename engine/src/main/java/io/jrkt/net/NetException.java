package io.jrkt.net;

/** A pod network cannot be configured, set up or torn down: says which and why, in one line. */
public class NetException extends Exception {
  public NetException(String message) {
    super(message);
  }

  public NetException(String message, Throwable cause) {
    super(message, cause);
  }
}
