package io.jrkt.store;

/**
 * The outcome of {@link ImageStore#verifyTree}.
 *
 * @param treeStoreId the tree that was checked
 * @param status what was found and done
 */
public record TreeCheck(String treeStoreId, Status status) {
  public enum Status {
    /** The tree matched its recorded hash. */
    OK,
    /** There was no complete tree; it has been rendered. */
    RENDERED,
    /** The tree did not match its hash; it has been rendered again. */
    REPAIRED
  }
}
