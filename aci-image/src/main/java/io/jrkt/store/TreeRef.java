package io.jrkt.store;

import java.nio.file.Path;

/**
 * A rendered tree in the tree store: {@code dir} is {@code cas/tree/<treeStoreId>}, holding
 * {@code manifest} and {@code rootfs} (the latter also given as {@code rootfs}).
 */
public record TreeRef(String treeStoreId, Path dir, Path rootfs) {}
