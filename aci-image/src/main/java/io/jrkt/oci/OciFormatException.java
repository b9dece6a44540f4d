package io.jrkt.oci;

/** A manifest, index, config or descriptor that does not follow the OCI or Docker format. */
public class OciFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public OciFormatException(String message) {
    super(message);
  }

  public OciFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
