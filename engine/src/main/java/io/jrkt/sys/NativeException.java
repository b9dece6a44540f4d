package io.jrkt.sys;

/** A failed system call: which call, on what, and the errno text. */
public class NativeException extends Exception {
  private final int errno;

  public NativeException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
