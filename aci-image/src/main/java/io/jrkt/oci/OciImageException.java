package io.jrkt.oci;

import io.jrkt.aci.ImageException;

/** An OCI or Docker image that cannot be fetched as it is: bad format, bad digest, missing blob. */
public class OciImageException extends ImageException {
  private static final long serialVersionUID = 1L;

  public OciImageException(String image, String reason) {
    super(image, null, reason);
  }

  public OciImageException(String image, String reason, Throwable cause) {
    super(image, null, reason, cause);
  }
}
