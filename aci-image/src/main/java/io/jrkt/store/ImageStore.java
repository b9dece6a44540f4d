package io.jrkt.store;

import io.jrkt.aci.ImageException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.oci.ImageSource;
import io.jrkt.oci.OciFetchOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The content-addressed image store and the tree store, both under {@code <dataDir>/cas} (see
 * docs/devel/on-disk-format.md, "Image store").
 *
 * <p>Every write goes to a private workspace in {@code cas/tmp/} first, is flushed to disk, and
 * is then renamed into place; an image's info record is written last, so an image is listed only
 * once its blob, manifest and rendered tree exist. Per-key lock files
 * ({@code cas/imagelocks/<id>}, {@code cas/treestorelocks/<treeStoreId>}) serialise work on the
 * same image or tree across threads and processes; they are always taken image first, then tree.
 *
 * <p>This class is the store's interface; the work is done by {@link ImageImport},
 * {@link ImageRecords}, {@link ImageResolver}, {@link ImageTrees}, {@link ImageOutput} and
 * {@link StoreGc}. Instances hold no open resources; {@link #close()} exists so callers can treat
 * the store like one.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
public final class ImageStore implements AutoCloseable {
  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;
  private final TreeIds treeIds;
  private final ImageTrees imageTrees;
  private final ImportedFiles importedFiles;

  private ImageStore(StoreLayout layout) {
    this.layout = layout;
    this.records = new ImageRecords(layout);
    this.trees = new TreeStore(layout);
    this.treeIds = new TreeIds(layout);
    this.imageTrees = new ImageTrees(layout, records, trees, treeIds);
    this.importedFiles = new ImportedFiles(layout);
  }

  /** Opens (creating its directories if needed) the store in {@code dataDir/cas}. */
  public static ImageStore open(Path dataDir) throws StoreException {
    StoreLayout layout = new StoreLayout(dataDir.resolve("cas"));
    try {
      layout.createDirectories();
    } catch (IOException e) {
      throw new StoreException("cannot open the image store in " + layout.cas() + ": "
          + IoErrors.describe(e), e);
    }
    return new ImageStore(layout);
  }

  /** The {@code cas} directory. */
  public Path casDir() {
    return layout.cas();
  }

  @Override
  public void close() {
    // Nothing is held between calls.
  }

  /**
   * Imports an ACI file (plain tar or gzip/bzip2/xz/zstd compressed) in one pass over it: the
   * image id is the SHA-512 of the uncompressed tar, which is stored as the blob, and the tree is
   * rendered at the same time. Importing an image that is already stored returns its existing
   * info; concurrent imports of the same image, also from several processes, end with one entry.
   * A file imported before and unchanged since is not read again ({@link ImportedFiles}).
   *
   * @throws ImageException when the file is not an acceptable ACI (nothing is stored then)
   * @throws DependencyNotFoundException when a dependency is not in the store (idem)
   * @throws StoreException when the store cannot be written
   */
  public ImageInfo importAci(Path file) throws StoreException, ImageException {
    // The stamp is taken before the file is read: a write during the import moves the file's
    // change time on, so the memo can never answer for content other than what was hashed.
    Optional<FileStamp> stamp = ImportedFiles.stamp(file);
    if (stamp.isPresent()) {
      Optional<ImageInfo> known = importedFiles.lookup(stamp.get()).flatMap(records::get);
      if (known.isPresent()) {
        return known.get();
      }
    }
    ImageInfo info = new ImageImport(layout, records, trees, treeIds).run(file);
    stamp.ifPresent(s -> importedFiles.remember(s, info.id()));
    return info;
  }

  /**
   * Fetches an OCI or Docker image (layout, archive or registry, see {@link ImageSource}) and
   * stores it under the id {@code sha256-<manifest digest>}: layer and config blobs kept once and
   * shared between images, the tree rendered with whiteouts applied, an appc manifest made from
   * the config. A stored image is returned without fetching its layers.
   *
   * @throws ImageException when the image cannot be fetched or is not acceptable (nothing is
   *     stored then)
   * @throws StoreException when the store cannot be written
   */
  public ImageInfo importOci(ImageSource source, OciFetchOptions options)
      throws StoreException, ImageException {
    ImageInfo info = new OciImport(layout, records, trees, treeIds).run(source, options);
    // Stored before and its tree collected since: render it now, so pods find it ready.
    imageTrees.tree(info.id());
    return info;
  }

  /** The info of a stored image; empty when it is not (completely) stored. */
  public Optional<ImageInfo> get(ImageId id) {
    return records.get(id);
  }

  /** Every stored image, oldest import first. */
  public List<ImageInfo> list() {
    return records.list();
  }

  /**
   * Finds one image by reference: an id ({@code sha512-} with at least 2 hex digits of prefix,
   * the 64-digit key or the full 128 digits) or a name ({@code name}, {@code name:version},
   * {@code name,label=value,...}); by name, the newest import carrying all the labels wins.
   */
  public ImageInfo resolve(String ref) throws ImageNotFoundException, AmbiguousImageException {
    return new ImageResolver(records, layout).resolve(ref);
  }

  /** The stored manifest of an image. */
  public ImageManifest manifest(ImageId id) throws StoreException {
    return records.manifest(id);
  }

  /** The stored manifest's bytes, exactly as in the image. */
  public byte[] manifestBytes(ImageId id) throws StoreException {
    return records.manifestBytes(id);
  }

  /** The stored blob: the uncompressed ACI exactly as imported. */
  public InputStream openBlob(ImageId id) throws StoreException {
    return records.openBlob(id);
  }

  /** Sets the image's last-used time to now (no-op for an image that is not stored). */
  public void touch(ImageId id) {
    records.touch(id);
  }

  /**
   * The rendered tree of an image with its dependencies, rendering it first when it is missing or
   * incomplete. Does not check the tree's content; see {@link #verifyTree}.
   */
  public TreeRef tree(ImageId id) throws StoreException, ImageException {
    return imageTrees.tree(id);
  }

  /**
   * As {@link #tree}, but the tree is checked (and rendered, if gone) while its lock is held, so
   * that a {@link #gc} that decided to remove it has either finished or will ask its live set
   * of references again: what a pod that will use the tree as an overlay lower layer calls once
   * it exists.
   */
  public TreeRef treeUnderLock(ImageId id) throws StoreException, ImageException {
    return imageTrees.tree(id, true);
  }

  /**
   * Recomputes the hash of an image's tree and compares it with the one recorded when it was
   * rendered; a tree that does not match (or is missing) is rendered again, as rkt did.
   *
   * @throws TreeCorruptException when the tree was damaged and rendering it again failed
   */
  public TreeCheck verifyTree(ImageId id) throws StoreException {
    return imageTrees.verifyTree(id);
  }

  /**
   * Removes an image: its info record first (so it disappears at once), then its trees (all of
   * them, whatever dependencies they were rendered with), manifest and blob.
   */
  public void remove(ImageId id) throws StoreException {
    remove(id, Set.of());
  }

  /**
   * Removes an image as {@link #remove(ImageId)} does, except for its trees in
   * {@code keepTrees}: pods use them as overlay lower layers. {@link #gc} removes them once no
   * pod references them.
   */
  public void remove(ImageId id, Set<String> keepTrees) throws StoreException {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Path info = layout.info(id);
      Path blob = layout.blob(id);
      Path manifest = layout.manifest(id);
      if (!Files.exists(info) && !Files.exists(blob) && !Files.exists(manifest)) {
        throw ImageRecords.notFound(id);
      }
      if (Files.deleteIfExists(info)) {
        Durability.fsync(layout.infoDir());
      }
      for (String treeStoreId : trees.treesOf(id)) {
        if (keepTrees.contains(treeStoreId)) {
          continue;
        }
        try (KeyLock tl = trees.lock(treeStoreId)) {
          trees.remove(treeStoreId);
        }
      }
      treeIds.forget(id);
      Files.deleteIfExists(layout.fullDigest(id));
      Files.deleteIfExists(manifest);
      if (id.isOci()) {
        removeOciContent(id);
      } else {
        Files.deleteIfExists(blob);
      }
    } catch (IOException e) {
      throw new StoreException("cannot remove image " + id + ": " + IoErrors.describe(e), e);
    }
  }

  /** Removes an OCI image's manifest blob and the content blobs no other image names. */
  private void removeOciContent(ImageId id) throws IOException, StoreException {
    Set<String> keys;
    try {
      keys = OciLayers.contentKeys(OciLayers.manifest(layout, id));
    } catch (ImageNotFoundException e) {
      keys = Set.of();
    }
    try (KeyLock content = KeyLock.acquire(layout.contentBlobLock())) {
      Files.deleteIfExists(layout.blob(id));
      new ContentBlobs(layout, records).removeUnreferenced(keys);
    }
  }

  /**
   * Garbage-collects the store:
   *
   * <ul>
   *   <li>trees not in {@code referencedTreeIds} (pods name theirs) or never completed;
   *   <li>images last used longer than {@code imageGrace} ago, unless a referenced tree is theirs;
   *   <li>blobs, manifests and tree id memos left without an info record by an interrupted
   *       import or removal;
   *   <li>entries of {@code cas/tmp/} older than {@code tmpGrace} that no live operation holds.
   * </ul>
   * Whatever another operation holds is skipped; errors are collected in the result. A tree is
   * looked up in {@code referencedTreeIds} once more while its lock is held, right before it is
   * removed, so a live set can spare trees that pods began to use after it was made.
   */
  public ImageGcResult gc(Duration imageGrace, Set<String> referencedTreeIds, Duration tmpGrace) {
    return new StoreGc(layout, records, trees, this::remove)
        .run(imageGrace, referencedTreeIds, tmpGrace);
  }

  /** Writes the stored blob (the uncompressed ACI, same hash as imported) to {@code out}. */
  public void exportAci(ImageId id, Path out, boolean overwrite) throws StoreException {
    output().exportAci(id, out, overwrite);
  }

  /**
   * Extracts this image alone (no dependencies) from its blob into {@code dir}: {@code manifest}
   * and {@code rootfs/}, or the rootfs content only. An existing non-empty {@code dir} is
   * replaced only with {@code overwrite}.
   */
  public void extract(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    output().extract(id, dir, rootfsOnly, overwrite);
  }

  /**
   * Copies the image's rendered tree (with dependencies) to {@code dir}: {@code manifest} and
   * {@code rootfs/}, or the rootfs content only. An existing non-empty {@code dir} is replaced
   * only with {@code overwrite}.
   */
  public void renderTo(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    output().renderTo(id, dir, rootfsOnly, overwrite);
  }

  private ImageOutput output() {
    return new ImageOutput(layout, records, trees, imageTrees);
  }
}
