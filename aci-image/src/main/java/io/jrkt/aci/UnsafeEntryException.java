package io.jrkt.aci;

/**
 * An archive entry is refused because extracting it could write outside the image's tree, or
 * because an ACI must not hold it: paths with {@code ..} or a leading {@code /}, writes through
 * symbolic links, hard links to files that are not in the rootfs, device nodes outside
 * {@code /dev}, fifos, and entries other than {@code manifest} and {@code rootfs/}.
 */
public class UnsafeEntryException extends ImageException {
  private static final long serialVersionUID = 1L;

  public UnsafeEntryException(String image, String entry, String reason) {
    super(image, entry, reason);
  }
}
