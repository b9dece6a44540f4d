package io.jrkt.registry;

import io.jrkt.oci.OciImageException;

/** The registry refused or failed a request, or could not be reached. */
public class RegistryException extends OciImageException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public RegistryException(String image, String reason, int status, Throwable cause) {
    super(image, reason, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
