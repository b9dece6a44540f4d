package io.jrkt.store;

import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live under {@code cas/}. The blob and manifest directories keep rkt's diskv
 * layout: hash algorithm, then the first two hex digits, then the key.
 */
final class StoreLayout {
  static final String TREE_ID_PREFIX = "deps-";
  static final String RENDERED = "rendered";
  static final String HASH = "hash";
  static final String IMAGE = "image";

  private final Path cas;

  StoreLayout(Path cas) {
    this.cas = cas;
  }

  Path cas() {
    return cas;
  }

  Path blobRoot() {
    return blobRoot("sha512");
  }

  /** Blobs keyed by {@code algorithm}: sha512 for ACIs, sha256 for OCI manifests and blobs. */
  Path blobRoot(String algorithm) {
    return cas.resolve("blob").resolve(algorithm);
  }

  Path manifestRoot() {
    return manifestRoot("sha512");
  }

  Path manifestRoot(String algorithm) {
    return cas.resolve("imageManifest").resolve(algorithm);
  }

  Path infoDir() {
    return cas.resolve("imageinfo");
  }

  Path treeRoot() {
    return cas.resolve("tree");
  }

  Path imageLocks() {
    return cas.resolve("imagelocks");
  }

  Path treeLocks() {
    return cas.resolve("treestorelocks");
  }

  Path tmp() {
    return cas.resolve("tmp");
  }

  /**
   * The full 128-digit SHA-512 of an image's tar. Image ids keep only the first half (as rkt's
   * did); this lets a full-form id given by a user be checked in its entirety.
   */
  Path fullDigest(ImageId id) {
    return cas.resolve("digest").resolve(id.value());
  }

  /** Where {@link TreeIds} keeps its memos. */
  Path treeIdDir() {
    return cas.resolve("treeids");
  }

  /**
   * An ACI's blob (the uncompressed tar) or, for an OCI image, its OCI manifest, which names the
   * config and layer blobs ({@link #contentBlob}).
   */
  Path blob(ImageId id) {
    return blobRoot(id.algorithm()).resolve(id.hex().substring(0, 2)).resolve(id.value());
  }

  /**
   * A content blob of OCI images (layer or config) by its key {@code sha256-<64 hex>}: stored
   * once, shared by every image that names it.
   */
  Path contentBlob(String key) {
    String algorithm = key.substring(0, key.indexOf('-'));
    String hex = key.substring(algorithm.length() + 1);
    return blobRoot(algorithm).resolve(hex.substring(0, 2)).resolve(key);
  }

  /** The image's appc manifest (for an OCI image, the one made from its config). */
  Path manifest(ImageId id) {
    return manifestRoot(id.algorithm()).resolve(id.hex().substring(0, 2)).resolve(id.value());
  }

  /** Held while OCI content blobs are put in place or removed (imports, removal, gc). */
  Path contentBlobLock() {
    return imageLocks().resolve("content-blobs");
  }

  Path info(ImageId id) {
    return infoDir().resolve(id.value());
  }

  /** Where {@link ImportedFiles} keeps its memos. */
  Path importedDir() {
    return cas.resolve("imported");
  }

  Path treeIdMemo(ImageId id) {
    return treeIdDir().resolve(id.value());
  }

  Path tree(String treeStoreId) {
    return treeRoot().resolve(treeStoreId);
  }

  Path imageLock(ImageId id) {
    return imageLocks().resolve(id.value());
  }

  Path treeLock(String treeStoreId) {
    return treeLocks().resolve(treeStoreId);
  }

  void createDirectories() throws IOException {
    for (Path p : new Path[] {blobRoot(), manifestRoot(), infoDir(), treeRoot(), imageLocks(),
        treeLocks(), tmp(), treeIdDir()}) {
      // A stat first: createDirectories on an existing directory fails internally, and a thrown
      // exception is expensive in a JVM that has just started.
      if (!Files.isDirectory(p)) {
        Files.createDirectories(p);
      }
    }
  }

  /**
   * Whether a string has the form of an image key ({@code sha512-} or {@code sha256-} and 64
   * lowercase hex).
   */
  static boolean isImageKey(String s) {
    return ImageId.isCanonical(s);
  }
}
