package io.jrkt.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An I/O failure in a store query that declares no checked exception ({@code get}, {@code list},
 * {@code touch}): the store's own files could not be read or written.
 */
public class StoreIoException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  public StoreIoException(String message, IOException cause) {
    super(message, cause);
  }
}
