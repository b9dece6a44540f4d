package io.jrkt.store;

/** An image depends on one the store does not hold, so its tree cannot be rendered. */
public class DependencyNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  public DependencyNotFoundException(String message) {
    super(message);
  }
}
