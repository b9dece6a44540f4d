package io.jrkt.pod;

/**
 * A pod operation failed: which pod (when known) and why, in one line. The CLI prints the message
 * as is, so it names the pod and the path involved.
 */
public class PodException extends Exception {
  public PodException(String message) {
    super(message);
  }

  public PodException(String message, Throwable cause) {
    super(message, cause);
  }
}
