package io.jrkt.store;

import io.jrkt.aci.FileTrees;
import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One run of {@link ImageStore#gc}. Skips whatever another operation holds; never throws. */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class StoreGc {
  /** Prefix of directories renamed into {@code cas/tmp} only to be deleted. */
  static final String TRASH_PREFIX = "trash-";

  /** Removes one image as {@link ImageStore#remove} does. */
  interface ImageRemover {
    void remove(ImageId id) throws StoreException;
  }

  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;
  private final ImageRemover remover;
  private final List<ImageId> removedImages = new ArrayList<>();
  private final List<String> removedTrees = new ArrayList<>();
  private final List<String> leftovers = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  StoreGc(StoreLayout layout, ImageRecords records, TreeStore trees, ImageRemover remover) {
    this.layout = layout;
    this.records = records;
    this.trees = trees;
    this.remover = remover;
  }

  ImageGcResult run(Duration imageGrace, Set<String> referencedTreeIds, Duration tmpGrace) {
    Instant now = Instant.now();
    Set<String> imagesInUse = removeTrees(referencedTreeIds);
    removeImages(now.minus(imageGrace), imagesInUse);
    removeOrphans(layout.blobRoot());
    removeOrphans(layout.manifestRoot());
    removeOrphans(layout.manifestRoot("sha256"));
    removeUnreferencedContent();
    removeOrphanTreeIdMemos();
    removeOrphanImportMemos();
    removeStaleTmp(now.minus(tmpGrace));
    return new ImageGcResult(removedImages, removedTrees, leftovers, errors);
  }

  /**
   * Removes trees no pod references and trees never completed; returns the images whose trees
   * are referenced.
   */
  private Set<String> removeTrees(Set<String> referenced) {
    Set<String> inUse = new HashSet<>();
    List<String> ids;
    try {
      ids = trees.ids();
    } catch (IOException e) {
      errors.add("cannot list " + layout.treeRoot() + ": " + IoErrors.describe(e));
      return inUse;
    }
    for (String t : ids) {
      if (referenced.contains(t) && trees.isRendered(t)) {
        String image = trees.imageOf(t);
        if (image != null) {
          inUse.add(image);
        }
        continue;
      }
      try (KeyLock lock = trees.tryLock(t)) {
        // Asked again under the lock: a live set (see ImageStore#gc) may have learned of a new
        // pod that uses the tree; a pod being prepared takes the lock to make sure it exists.
        if (lock != null && !referenced.contains(t)) {
          trees.remove(t);
          removedTrees.add(t);
        }
      } catch (IOException e) {
        errors.add("tree " + t + ": " + IoErrors.describe(e));
      }
    }
    return inUse;
  }

  private void removeImages(Instant unusedSince, Set<String> inUse) {
    for (ImageInfo i : records.list()) {
      if (inUse.contains(i.id().value()) || !i.lastUsed().isBefore(unusedSince)) {
        continue;
      }
      try {
        remover.remove(i.id());
        removedImages.add(i.id());
      } catch (ImageNotFoundException e) {
        // Removed meanwhile by someone else.
      } catch (StoreException e) {
        errors.add(e.getMessage());
      }
    }
  }

  /** Blobs or manifests whose image has no info record and is not being imported right now. */
  private void removeOrphans(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root)) {
      for (Path prefix : prefixes) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
          for (Path f : files) {
            String key = f.getFileName().toString();
            if (StoreLayout.isImageKey(key)) {
              removeOrphan(new ImageId(key), f);
            }
          }
        }
      }
    } catch (IOException e) {
      errors.add("cannot clean " + root + ": " + IoErrors.describe(e));
    }
  }

  /**
   * OCI manifests, configs and layers no stored image names (left by an interrupted removal),
   * unless an import or removal holds the content blobs right now.
   */
  private void removeUnreferencedContent() {
    try (KeyLock lock = KeyLock.tryAcquire(layout.contentBlobLock())) {
      if (lock == null) {
        return;
      }
      for (String key : new ContentBlobs(layout, records).removeUnreferenced(null)) {
        leftovers.add(layout.cas().relativize(layout.contentBlob(key)).toString());
      }
    } catch (IOException e) {
      errors.add("cannot clean " + layout.blobRoot("sha256") + ": " + IoErrors.describe(e));
    }
  }

  /** Tree id memos ({@link TreeIds}) of images that are gone. */
  private void removeOrphanTreeIdMemos() {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.treeIdDir())) {
      for (Path f : files) {
        String key = f.getFileName().toString();
        if (StoreLayout.isImageKey(key)) {
          removeOrphan(new ImageId(key), f);
        }
      }
    } catch (NoSuchFileException e) {
      // A store from before memos: nothing to clean.
    } catch (IOException e) {
      errors.add("cannot clean " + layout.treeIdDir() + ": " + IoErrors.describe(e));
    }
  }

  /**
   * Memos of imported files ({@link ImportedFiles}) that name images that are gone. Removing an
   * image leaves them (they are found by file, not by image), so they are not reported.
   */
  private void removeOrphanImportMemos() {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.importedDir())) {
      for (Path f : files) {
        ImageId id = ImportedFiles.imageOf(f);
        if (id == null || records.get(id).isEmpty()) {
          Files.deleteIfExists(f);
        }
      }
    } catch (NoSuchFileException e) {
      // No file was imported yet.
    } catch (IOException e) {
      errors.add("cannot clean " + layout.importedDir() + ": " + IoErrors.describe(e));
    }
  }

  private void removeOrphan(ImageId id, Path f) throws IOException {
    // An import holds the image lock from moving its blob into place until its info is written.
    try (KeyLock lock = KeyLock.tryAcquire(layout.imageLock(id))) {
      if (lock != null && !Files.exists(layout.info(id)) && Files.deleteIfExists(f)) {
        leftovers.add(layout.cas().relativize(f).toString());
      }
    }
  }

  private void removeStaleTmp(Instant cutoff) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.tmp())) {
      for (Path p : ds) {
        try {
          if (removeIfStale(p, cutoff)) {
            leftovers.add(layout.cas().relativize(p).toString());
          }
        } catch (NoSuchFileException e) {
          // Finished and cleaned up by its owner meanwhile.
        } catch (IOException e) {
          errors.add("cannot remove " + p + ": " + IoErrors.describe(e));
        }
      }
    } catch (IOException e) {
      errors.add("cannot list " + layout.tmp() + ": " + IoErrors.describe(e));
    }
  }

  private static boolean removeIfStale(Path p, Instant cutoff) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      // Writes go through workspaces; a loose file is an older jrkt's, whose owner may still be
      // writing it: only its age can tell.
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant()
          .isBefore(cutoff) && Files.deleteIfExists(p);
    }
    // A workspace is locked by its owner for as long as it lives, however old it is; one that
    // nobody holds was abandoned (kill -9) and goes at once. One so new that it has no lock file
    // yet goes too: its maker finds its lock file gone and starts over (Workspace.create).
    // Trash directories are never locked.
    try (KeyLock lock = KeyLock.tryAcquire(p.resolve(Workspace.LOCK_FILE))) {
      if (lock == null) {
        return false;
      }
      FileTrees.deleteRecursively(p);
      return true;
    }
  }
}
