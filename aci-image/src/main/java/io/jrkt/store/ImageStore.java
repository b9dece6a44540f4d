package io.jrkt.store;

import io.jrkt.aci.AciIngest;
import io.jrkt.aci.AciLayerReader;
import io.jrkt.aci.FileTrees;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.InvalidManifestException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Names;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
 * <p>Instances hold no open resources; {@link #close()} exists so callers can treat the store
 * like one.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
public final class ImageStore implements AutoCloseable {
  private static final int READ_BUFFER = 256 * 1024;

  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;

  private ImageStore(StoreLayout layout) {
    this.layout = layout;
    this.records = new ImageRecords(layout);
    this.trees = new TreeStore(layout);
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

  // ---------------------------------------------------------------------------------- import

  /**
   * Imports an ACI file (plain tar or gzip/bzip2/xz/zstd compressed) in one pass over it: the
   * image id is the SHA-512 of the uncompressed tar, which is stored as the blob, and the tree is
   * rendered at the same time. Importing an image that is already stored returns its existing
   * info; concurrent imports of the same image, also from several processes, end with one entry.
   *
   * @throws ImageException when the file is not an acceptable ACI (nothing is stored then)
   * @throws DependencyNotFoundException when a dependency is not in the store (idem)
   * @throws StoreException when the store cannot be written
   */
  public ImageInfo importAci(Path file) throws StoreException, ImageException {
    String image = file.toString();
    try (Workspace ws = Workspace.create(layout.tmp(), "import")) {
      Path treeDir = Files.createDirectory(ws.resolve("tree"));
      TreeBuilder builder = TreeBuilder.forTree(treeDir, image);
      ImageManifest[] parsed = new ImageManifest[1];
      Path blobTmp = ws.resolve("blob");
      EarlyFlush blobFlush = new EarlyFlush(blobTmp);
      AciIngest.Result r;
      try (FileChannel blob = FileChannel.open(blobTmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        r = AciIngest.ingest(file, image, blob, builder, bytes -> {
          ImageManifest m = parseImageManifest(image, bytes);
          parsed[0] = m;
          if (!m.dependencies().isEmpty()) {
            // The tree comes from the dependencies' blobs plus this one; extract nothing now.
            builder.stopWriting();
          }
        }, blobFlush::start);
      }
      Ingested in = new Ingested(ImageId.ofSha512(r.sha512()), parsed[0], r, builder, treeDir,
          blobTmp, blobFlush);
      return install(ws, in);
    } catch (IOException e) {
      throw new StoreException("image " + image + ": cannot import into " + layout.cas() + ": "
          + IoErrors.describe(e), e);
    }
  }

  /** What one pass over an ACI produced in the import workspace. */
  private record Ingested(ImageId id, ImageManifest manifest, AciIngest.Result result,
      TreeBuilder builder, Path treeDir, Path blob, EarlyFlush blobFlush) {

    /** The one-pass extraction is the rendered tree exactly when there are no dependencies. */
    boolean extractedTree() {
      return manifest.dependencies().isEmpty() && builder.isWriting();
    }
  }

  private ImageInfo install(Workspace ws, Ingested in)
      throws IOException, StoreException, ImageException {
    ImageId id = in.id;
    ImageManifest m = in.manifest;
    // Dependencies are resolved before anything (even a lock file) is created for the image, so
    // that a missing one leaves the store as it was. Re-importing a stored image needs none.
    List<Layer> chain = records.get(id).isPresent() ? null : chain(id, m, in.blob);
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Optional<ImageInfo> existing = records.get(id);
      if (existing.isPresent()) {
        reuseExtractedTree(in);
        return existing.get();
      }
      if (chain == null) {
        // It was stored a moment ago and has been removed since.
        chain = chain(id, m, in.blob);
      }
      TreeStore.PreparedTree tree = in.extractedTree()
          ? trees.finishExtracted(in.builder, in.result.manifest(), m, in.treeDir, id)
          : trees.render(ws.resolve("rendered"), chain, in.result.manifest(), m, id);
      Path manifestTmp = ws.resolve("manifest");
      Files.write(manifestTmp, in.result.manifest(), StandardOpenOption.CREATE_NEW);
      in.blobFlush.await();
      Durability.syncTree(ws.dir());
      TreeStore.markRendered(tree.dir());
      moveIntoPlace(in.blob, layout.blob(id));
      moveIntoPlace(manifestTmp, layout.manifest(id));
      trees.install(DependencyChain.treeStoreId(chain), tree.dir());
      Instant now = Instant.now();
      ImageInfo info = new ImageInfo(id, m.name().value(), m.labels(), now, now,
          in.result.tarSize(), tree.contentBytes());
      records.write(info);
      return info;
    }
  }

  /** The image was stored already; if its tree went missing, ours fills the gap. */
  private void reuseExtractedTree(Ingested in) throws IOException {
    if (!in.extractedTree()) {
      return;
    }
    String treeStoreId = DependencyChain.treeStoreId(List.of(new Layer(in.id, in.blob,
        in.manifest)));
    if (trees.isRendered(treeStoreId)) {
      return;
    }
    TreeStore.PreparedTree t = trees.finishExtracted(in.builder, in.result.manifest(),
        in.manifest, in.treeDir, in.id);
    Durability.syncTree(t.dir());
    TreeStore.markRendered(t.dir());
    trees.install(treeStoreId, t.dir());
  }

  private List<Layer> chain(ImageId id, ImageManifest m, Path blob) throws StoreException {
    return DependencyChain.resolve(id, m, blob, records, layout);
  }

  private static ImageManifest parseImageManifest(String image, byte[] bytes)
      throws InvalidManifestException {
    ImageManifest m;
    try {
      m = ImageManifest.parse(bytes);
    } catch (AppcException e) {
      throw new InvalidManifestException(image, "invalid manifest: "
          + withoutPrefix(e.getMessage(), "image manifest: "), e);
    }
    try {
      m.requireOsArch();
    } catch (AppcException e) {
      throw new InvalidManifestException(image,
          withoutPrefix(e.getMessage(), "image " + m.name() + ": "), e);
    }
    return m;
  }

  private static String withoutPrefix(String s, String prefix) {
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }

  private void moveIntoPlace(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durability.fsync(to.getParent());
  }

  // ---------------------------------------------------------------------------------- queries

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
    if (ImageId.looksLikeId(ref)) {
      return resolveId(ref);
    }
    ImageRef wanted = ImageRef.parse(ref);
    return records.newest(wanted.name(), wanted.labels()).orElseThrow(() ->
        new ImageNotFoundException(ref, "no image " + wanted.describe() + " in the store"));
  }

  private ImageInfo resolveId(String ref)
      throws ImageNotFoundException, AmbiguousImageException {
    if (!ref.startsWith(ImageId.PREFIX)) {
      throw new ImageNotFoundException(ref, "image id " + Names.quote(ref)
          + ": the store keys images by sha512 only");
    }
    String hex = ref.substring(ImageId.PREFIX.length()).toLowerCase(Locale.ROOT);
    if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new ImageNotFoundException(ref, "image id " + Names.quote(ref)
          + " is not valid: sha512- must be followed by hex digits");
    }
    if (hex.length() < 2) {
      throw new ImageNotFoundException(ref, "image id prefix " + Names.quote(ref)
          + " is too short: give at least 2 hex digits after sha512-");
    }
    // The full 128-digit form: the store keys by the first half.
    String prefix = ImageId.PREFIX + hex.substring(0, Math.min(64, hex.length()));
    List<ImageInfo> matches = new ArrayList<>();
    for (ImageId id : records.ids()) {
      if (id.value().startsWith(prefix)) {
        records.get(id).ifPresent(matches::add);
      }
    }
    if (matches.isEmpty()) {
      throw new ImageNotFoundException(ref, "no image with id " + Names.quote(ref)
          + " in the store");
    }
    if (matches.size() > 1) {
      List<ImageId> ids = new ArrayList<>();
      matches.forEach(i -> ids.add(i.id()));
      ids.sort(Comparator.comparing(ImageId::value));
      throw new AmbiguousImageException(ref, ids);
    }
    return matches.get(0);
  }

  /** The stored manifest of an image. */
  public ImageManifest manifest(ImageId id) throws StoreException {
    return records.manifest(id);
  }

  /** The stored blob: the uncompressed ACI exactly as imported. */
  public InputStream openBlob(ImageId id) throws StoreException {
    try {
      return Files.newInputStream(layout.blob(id));
    } catch (NoSuchFileException e) {
      throw ImageRecords.notFound(id);
    } catch (IOException e) {
      throw new StoreException("cannot read the blob of image " + id + ": "
          + IoErrors.describe(e), e);
    }
  }

  /** Sets the image's last-used time to now (no-op for an image that is not stored). */
  public void touch(ImageId id) {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Optional<ImageInfo> info = records.get(id);
      if (info.isPresent()) {
        records.write(info.get().withLastUsed(Instant.now()));
      }
    } catch (IOException e) {
      throw new StoreIoException("cannot update the last-used time of image " + id + ": "
          + IoErrors.describe(e), e);
    }
  }

  // ---------------------------------------------------------------------------------- trees

  private ImageInfo require(ImageId id) throws ImageNotFoundException {
    return records.get(id).orElseThrow(() -> ImageRecords.notFound(id));
  }

  /**
   * The rendered tree of an image with its dependencies, rendering it first when it is missing or
   * incomplete. Does not check the tree's content; see {@link #verifyTree}.
   */
  public TreeRef tree(ImageId id) throws StoreException, ImageException {
    require(id);
    ImageManifest m = records.manifest(id);
    List<Layer> chain = chain(id, m, layout.blob(id));
    String treeStoreId = DependencyChain.treeStoreId(chain);
    if (trees.isRendered(treeStoreId)) {
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

  /**
   * Recomputes the hash of an image's tree and compares it with the one recorded when it was
   * rendered; a tree that does not match (or is missing) is rendered again, as rkt did.
   *
   * @throws TreeCorruptException when the tree was damaged and rendering it again failed
   */
  public TreeCheck verifyTree(ImageId id) throws StoreException {
    require(id);
    ImageManifest m = records.manifest(id);
    List<Layer> chain = chain(id, m, layout.blob(id));
    String treeStoreId = DependencyChain.treeStoreId(chain);
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

  // ---------------------------------------------------------------------------------- removal

  /**
   * Removes an image: its info record first (so it disappears at once), then its trees (all of
   * them, whatever dependencies they were rendered with), manifest and blob.
   */
  public void remove(ImageId id) throws StoreException {
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
        try (KeyLock tl = trees.lock(treeStoreId)) {
          trees.remove(treeStoreId);
        }
      }
      Files.deleteIfExists(manifest);
      Files.deleteIfExists(blob);
    } catch (IOException e) {
      throw new StoreException("cannot remove image " + id + ": " + IoErrors.describe(e), e);
    }
  }

  /**
   * Garbage-collects the store:
   *
   * <ul>
   *   <li>trees not in {@code referencedTreeIds} (pods name theirs) or never completed;
   *   <li>images last used longer than {@code imageGrace} ago, unless a referenced tree is theirs;
   *   <li>blobs and manifests left without an info record by an interrupted import;
   *   <li>entries of {@code cas/tmp/} older than {@code tmpGrace} that no live operation holds.
   * </ul>
   * Whatever another operation holds is skipped; errors are collected in the result.
   */
  public ImageGcResult gc(Duration imageGrace, Set<String> referencedTreeIds, Duration tmpGrace) {
    return new StoreGc(layout, records, trees, this::remove)
        .run(imageGrace, referencedTreeIds, tmpGrace);
  }

  // ---------------------------------------------------------------------------------- export

  /** Writes the stored blob (the uncompressed ACI, same hash as imported) to {@code out}. */
  public void exportAci(ImageId id, Path out, boolean overwrite) throws StoreException {
    require(id);
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
      throw new StoreException(out + " already exists (use --overwrite to replace it)");
    }
    Path tmp = out.toAbsolutePath().getParent()
        .resolve("." + out.getFileName() + ".jrkt-" + UUID.randomUUID());
    try {
      Files.copy(layout.blob(id), tmp);
      Files.setAttribute(tmp, "unix:mode", 0644);
      Durability.fsync(tmp);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The failure below is what matters.
      }
      throw new StoreException("cannot export image " + id + " to " + out + ": "
          + IoErrors.describe(e), e);
    }
  }

  /**
   * Extracts this image alone (no dependencies) from its blob into {@code dir}: {@code manifest}
   * and {@code rootfs/}, or the rootfs content only. An existing non-empty {@code dir} is
   * replaced only with {@code overwrite}.
   */
  public void extract(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    require(id);
    try (OutputDirectory out = OutputDirectory.prepare(dir, overwrite)) {
      TreeBuilder b = rootfsOnly ? TreeBuilder.forRootfs(out.building(), id.value())
          : TreeBuilder.forTree(out.building(), id.value());
      byte[] manifest;
      try (InputStream in = new BufferedInputStream(openBlob(id), READ_BUFFER)) {
        manifest = AciLayerReader.read(in, id.value(), b, m -> { });
      }
      if (manifest != null) {
        b.writeManifest(manifest);
      }
      b.finish();
      out.commit();
    } catch (IOException e) {
      throw new StoreException("cannot extract image " + id + " to " + dir + ": "
          + IoErrors.describe(e), e);
    }
  }

  /**
   * Copies the image's rendered tree (with dependencies) to {@code dir}: {@code manifest} and
   * {@code rootfs/}, or the rootfs content only. An existing non-empty {@code dir} is replaced
   * only with {@code overwrite}.
   */
  public void renderTo(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    TreeRef t = tree(id);
    try (OutputDirectory out = OutputDirectory.prepare(dir, overwrite);
        KeyLock lock = trees.lock(t.treeStoreId())) {
      if (!trees.isRendered(t.treeStoreId())) {
        throw new StoreException("the tree of image " + id + " was removed while copying it");
      }
      if (rootfsOnly) {
        Files.delete(out.building());
        FileTrees.copyTree(t.rootfs(), out.building());
      } else {
        Files.copy(t.dir().resolve("manifest"), out.building().resolve("manifest"));
        FileTrees.copyTree(t.rootfs(), out.building().resolve("rootfs"));
      }
      out.commit();
    } catch (IOException e) {
      throw new StoreException("cannot render image " + id + " to " + dir + ": "
          + IoErrors.describe(e), e);
    }
  }
}
