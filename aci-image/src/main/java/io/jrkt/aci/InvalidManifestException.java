package io.jrkt.aci;

/** The ACI has no manifest, more than one, or one that is invalid or names an unusable os/arch. */
public class InvalidManifestException extends ImageException {
  private static final long serialVersionUID = 1L;

  public InvalidManifestException(String image, String reason, Throwable cause) {
    super(image, null, reason, cause);
  }
}
