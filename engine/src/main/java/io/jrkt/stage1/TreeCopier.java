package io.jrkt.stage1;

import io.jrkt.aci.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Copies a rendered image tree into a pod ({@link FileTrees#copyRootfs}), keeping what a root
 * filesystem needs: file modes including setuid/setgid/sticky bits, owners (when running as
 * root), symlinks as symlinks, hard links as hard links, modification times. Device nodes, fifos
 * and sockets cannot be made from Java; they are skipped and listed in {@link #skipped()}.
 */
public final class TreeCopier {
  private final List<Path> skipped;

  private TreeCopier(List<Path> skipped) {
    this.skipped = skipped;
  }

  /** Copies the tree at {@code source} to {@code target}, which must not exist yet. */
  public static TreeCopier copy(Path source, Path target) throws IOException {
    return copy(source, target, Set.of());
  }

  /**
   * As {@link #copy(Path, Path)}, with the regular files at {@code linked} (relative) hard-linked
   * to the source's where possible ({@link FileTrees#copyRootfs(Path, Path, Set)}).
   */
  public static TreeCopier copy(Path source, Path target, Set<Path> linked) throws IOException {
    return new TreeCopier(FileTrees.copyRootfs(source, target, linked));
  }

  /** Entries that were not copied (special files), relative to the source. */
  public List<Path> skipped() {
    return skipped;
  }

  /** Adds {@code etc/mtab -> ../proc/self/mounts} when the tree has /etc but no mtab. */
  public static boolean addMtabLink(Path rootfs) throws IOException {
    Path etc = rootfs.resolve("etc");
    Path mtab = etc.resolve("mtab");
    if (Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(mtab, LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(mtab, Path.of("../proc/self/mounts"));
      return true;
    }
    return false;
  }
}
