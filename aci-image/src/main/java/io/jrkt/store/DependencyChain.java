package io.jrkt.store;

import io.jrkt.appc.Dependency;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Names;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves an image's dependencies (by image id, or by name and labels to the newest matching
 * import) into the list of layers its tree is rendered from.
 */
final class DependencyChain {
  /** More layers than this means a dependency cycle through names. */
  static final int MAX_LAYERS = 64;

  private DependencyChain() {}

  /**
   * The image and its dependencies in rkt's order: the image first, each image's dependencies
   * inserted right after it (so its last dependency comes first). Rendering walks the list
   * backwards, base first; the tree store id hashes it in this order.
   */
  static List<Layer> resolve(ImageId id, ImageManifest m, java.nio.file.Path blob,
      ImageRecords records, StoreLayout layout) throws StoreException {
    List<Layer> chain = new ArrayList<>();
    chain.add(new Layer(id, blob, m));
    for (int i = 0; i < chain.size(); i++) {
      for (Dependency d : chain.get(i).manifest().dependencies()) {
        if (chain.size() >= MAX_LAYERS) {
          throw new StoreException("image " + id + " has more than " + MAX_LAYERS
              + " layers of dependencies (do its dependencies depend on each other in a cycle?)");
        }
        chain.add(i + 1, dependency(d, records, layout));
      }
    }
    return chain;
  }

  private static Layer dependency(Dependency d, ImageRecords records, StoreLayout layout)
      throws StoreException {
    Optional<ImageInfo> found = d.imageId() != null ? records.get(d.imageId())
        : records.newest(d.imageName().value(), d.labels());
    if (found.isEmpty()) {
      String what = d.imageId() != null
          ? Names.quote(d.imageName().value()) + " (id " + d.imageId() + ")"
          : ImageRef.describe(d.imageName().value(), d.labels());
      throw new DependencyNotFoundException("dependency " + what
          + " not found in the store; fetch it first");
    }
    ImageId id = found.get().id();
    return new Layer(id, layout.blob(id), records.manifest(id));
  }

  /** The comma-joined image keys of the chain, in its order: what its tree store id hashes. */
  static String layers(List<Layer> chain) {
    StringBuilder sb = new StringBuilder();
    for (Layer l : chain) {
      sb.append(sb.length() == 0 ? "" : ",").append(l.id().value());
    }
    return sb.toString();
  }

  /** {@code deps-sha512-<64 hex>}: SHA-512 over the comma-joined image keys of the chain. */
  static String treeStoreId(List<Layer> chain) {
    return treeStoreId(layers(chain));
  }

  /** The tree store id of a chain given by {@link #layers}. */
  static String treeStoreId(String layers) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-512")
          .digest(layers.getBytes(StandardCharsets.UTF_8));
      return StoreLayout.TREE_ID_PREFIX + ImageId.ofSha512(d).value();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-512", e);
    }
  }
}
