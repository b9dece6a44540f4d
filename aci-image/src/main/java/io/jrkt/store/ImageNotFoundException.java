package io.jrkt.store;

/** No stored image matches a reference (id, id prefix, or name and labels). */
public class ImageNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String reference;

  public ImageNotFoundException(String reference, String message) {
    super(message);
    this.reference = reference;
  }

  /** The reference as given. */
  public String reference() {
    return reference;
  }
}
