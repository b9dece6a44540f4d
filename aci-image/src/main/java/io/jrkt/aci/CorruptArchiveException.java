package io.jrkt.aci;

/** The file is not a tar archive, or its compression or tar data is corrupt or truncated. */
public class CorruptArchiveException extends ImageException {
  private static final long serialVersionUID = 1L;

  public CorruptArchiveException(String image, String entry, String reason, Throwable cause) {
    super(image, entry, reason, cause);
  }
}
