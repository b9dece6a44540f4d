package io.jrkt.store;

import io.jrkt.aci.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A directory the user asked us to write an image into ({@code extract}, {@code render}). It is
 * built as a hidden sibling and renamed into place at the end, so a failure leaves the target as
 * it was.
 */
final class OutputDirectory implements AutoCloseable {
  private final Path target;
  private final Path building;

  private OutputDirectory(Path target, Path building) {
    this.target = target;
    this.building = building;
  }

  /**
   * Checks {@code target} may be written (it does not exist, is an empty directory, or
   * {@code overwrite} is set) and creates the empty sibling to build in.
   */
  static OutputDirectory prepare(Path target, boolean overwrite) throws StoreException {
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite
          && !isEmptyDirectory(target)) {
        throw new StoreException(target + " already exists and is not empty (use --overwrite to "
            + "replace it)");
      }
      Path parent = target.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path building = parent.resolve("." + target.getFileName() + ".jrkt-" + UUID.randomUUID());
      Files.createDirectory(building);
      return new OutputDirectory(target, building);
    } catch (IOException e) {
      throw new StoreException("cannot write to " + target + ": " + IoErrors.describe(e), e);
    }
  }

  /** The (empty, existing) directory to build in. */
  Path building() {
    return building;
  }

  /** Puts what was built in place of the target, whatever was there. */
  void commit() throws IOException {
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(target)) {
      old = building.resolveSibling(building.getFileName() + ".old");
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      // rename(2) replaces an empty directory.
      Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (old != null) {
      FileTrees.deleteRecursively(old);
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      return !ds.iterator().hasNext();
    }
  }

  /** Removes the building directory if it was not committed. */
  @Override
  public void close() {
    try {
      FileTrees.deleteRecursively(building);
    } catch (IOException ignored) {
      // A leftover hidden sibling is harmless and recognisably ours.
    }
  }
}
