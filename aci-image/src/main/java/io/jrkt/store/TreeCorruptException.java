package io.jrkt.store;

/** A rendered tree no longer matches its recorded hash and could not be rendered again. */
public class TreeCorruptException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String treeStoreId;

  public TreeCorruptException(String treeStoreId, String message, Throwable cause) {
    super(message, cause);
    this.treeStoreId = treeStoreId;
  }

  public String treeStoreId() {
    return treeStoreId;
  }
}
