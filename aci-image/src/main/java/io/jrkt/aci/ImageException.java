package io.jrkt.aci;

import io.jrkt.appc.Names;
import java.util.Optional;

/**
 * An image file cannot be used: it is not a readable ACI, or an entry or its manifest is
 * refused. The message is one line naming the image and, when there is one, the entry, e.g.
 * {@code image ./evil.aci: entry "rootfs/../../etc/x": path escapes the rootfs}.
 */
public class ImageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String image;
  private final String entry;
  private final String reason;

  public ImageException(String image, String entry, String reason) {
    this(image, entry, reason, null);
  }

  public ImageException(String image, String entry, String reason, Throwable cause) {
    super(format(image, entry, reason), cause);
    this.image = image;
    this.entry = entry;
    this.reason = reason;
  }

  private static String format(String image, String entry, String reason) {
    StringBuilder sb = new StringBuilder("image ").append(image);
    if (entry != null) {
      sb.append(": entry ").append(Names.quote(entry));
    }
    return sb.append(": ").append(reason).toString();
  }

  /** How the image was named to us (a file path as the user gave it, or an image id). */
  public String image() {
    return image;
  }

  /** The archive entry at fault, as named in the archive. */
  public Optional<String> entry() {
    return Optional.ofNullable(entry);
  }

  /** What is wrong, without the image and entry prefix. */
  public String reason() {
    return reason;
  }
}
