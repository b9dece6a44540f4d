package io.jrkt.stage1;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A rendered image in the tree store.
 *
 * @param treeStoreId e.g. {@code deps-sha512-<hex>}
 * @param dir the tree directory, holding {@code manifest} and {@code rootfs/}
 * @param rootfs the rendered root filesystem
 */
public record TreeInfo(String treeStoreId, Path dir, Path rootfs) {
  public TreeInfo {
    Objects.requireNonNull(treeStoreId, "treeStoreId");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(rootfs, "rootfs");
  }
}
