package io.jrkt.store;

import io.jrkt.aci.ImageException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The rendered tree of an image with its dependencies: {@link ImageStore#tree} and
 * {@link ImageStore#verifyTree}.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class ImageTrees {
  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;
  private final TreeIds treeIds;

  ImageTrees(StoreLayout layout, ImageRecords records, TreeStore trees, TreeIds treeIds) {
    this.layout = layout;
    this.records = records;
    this.trees = trees;
    this.treeIds = treeIds;
  }

  /** See {@link ImageStore#tree}. */
  TreeRef tree(ImageId id) throws StoreException, ImageException {
    return tree(id, false);
  }

  /** See {@link ImageStore#tree} and {@link ImageStore#treeUnderLock}. */
  TreeRef tree(ImageId id, boolean underLock) throws StoreException, ImageException {
    records.require(id);
    ImageManifest m = records.manifest(id);
    List<Layer> chain = chain(id, m);
    String treeStoreId = treeIds.of(chain);
    if (!underLock && trees.isRendered(treeStoreId)) {
      return trees.ref(treeStoreId);
    }
    long size;
    try (KeyLock lock = trees.lock(treeStoreId)) {
      if (trees.isRendered(treeStoreId)) {
        return trees.ref(treeStoreId);
      }
      size = trees.renderAndReplace(treeStoreId, chain, records.manifestBytes(id), m, id);
    } catch (IOException e) {
      throw new StoreException("cannot render the tree of image " + id + ": "
          + IoErrors.describe(e), e);
    }
    recordTreeSize(id, size);
    return trees.ref(treeStoreId);
  }

  /** See {@link ImageStore#verifyTree}. */
  TreeCheck verifyTree(ImageId id) throws StoreException {
    records.require(id);
    ImageManifest m = records.manifest(id);
    List<Layer> chain = chain(id, m);
    String treeStoreId = treeIds.of(chain);
    TreeCheck.Status status;
    long size;
    try (KeyLock lock = trees.lock(treeStoreId)) {
      if (!trees.isRendered(treeStoreId)) {
        status = TreeCheck.Status.RENDERED;
      } else if (trees.matchesHash(treeStoreId)) {
        return new TreeCheck(treeStoreId, TreeCheck.Status.OK);
      } else {
        status = TreeCheck.Status.REPAIRED;
      }
      try {
        size = trees.renderAndReplace(treeStoreId, chain, records.manifestBytes(id), m, id);
      } catch (IOException | ImageException e) {
        throw new TreeCorruptException(treeStoreId, "tree " + treeStoreId + " of image " + id
            + " is damaged and could not be rendered again: " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new StoreException("cannot verify the tree of image " + id + ": "
          + IoErrors.describe(e), e);
    }
    recordTreeSize(id, size);
    return new TreeCheck(treeStoreId, status);
  }

  private List<Layer> chain(ImageId id, ImageManifest m) throws StoreException {
    return DependencyChain.resolve(id, m, layout.blob(id), records, layout);
  }

  private void recordTreeSize(ImageId id, long size) {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Optional<ImageInfo> info = records.get(id);
      if (info.isPresent() && info.get().treeStoreSize() != size) {
        records.write(info.get().withTreeStoreSize(size));
      }
    } catch (IOException e) {
      // Only a statistic; the tree itself is in place.
    }
  }
}
