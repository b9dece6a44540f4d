package io.jrkt.registry;

import io.jrkt.oci.OciImageException;

/** The registry refused or failed a request, or could not be reached. */
public class RegistryException extends OciImageException {
  private static final long serialVersionUID = 1L;
  /** {@link #status()} when the other end does not speak (plain) HTTP: trying again is vain. */
  public static final int NOT_HTTP = -1;

  private final int status;

  public RegistryException(String image, String reason, int status, Throwable cause) {
    super(image, reason, cause);
    this.status = status;
  }

  /** The HTTP status, 0 when there was no answer, {@link #NOT_HTTP} when it was not HTTP. */
  public int status() {
    return status;
  }
}
