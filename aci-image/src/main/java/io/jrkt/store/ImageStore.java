package io.jrkt.store;

import io.jrkt.aci.AciIngest;
import io.jrkt.aci.AciLayerReader;
import io.jrkt.aci.FileTrees;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.InvalidManifestException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.aci.TreeHash;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.Dependency;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Names;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The content-addressed image store and the tree store, both under {@code <dataDir>/cas}.
 *
 * <p>Every write goes to a private workspace in {@code cas/tmp/} first, is flushed to disk, and
 * is then renamed into place; the info record of an image is written last, so an image is listed
 * only once its blob, manifest and rendered tree exist. Per-key lock files
 * ({@code cas/imagelocks/<id>}, {@code cas/treestorelocks/<treeStoreId>}) serialise work on the
 * same image or tree across threads and processes. Locks are always taken image first, then tree.
 *
 * <p>Instances hold no open resources; {@link #close()} exists so callers can treat the store as
 * one.
 */
public final class ImageStore implements AutoCloseable {
  /** More layers than this means a dependency cycle through names. */
  private static final int MAX_LAYERS = 64;
  private static final int READ_BUFFER = 256 * 1024;

  private final StoreLayout layout;

  private ImageStore(StoreLayout layout) {
    this.layout = layout;
  }

  /** Opens (creating its directories if needed) the store in {@code dataDir/cas}. */
  public static ImageStore open(Path dataDir) throws StoreException {
    StoreLayout layout = new StoreLayout(dataDir.resolve("cas"));
    try {
      layout.createDirectories();
    } catch (IOException e) {
      throw new StoreException("cannot open the image store in " + layout.cas() + ": "
          + describe(e), e);
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
   * @throws DependencyNotFoundException when a dependency is not in the store
   * @throws StoreException when the store cannot be written
   */
  public ImageInfo importAci(Path file) throws StoreException, ImageException {
    String image = file.toString();
    try (Workspace ws = Workspace.create(layout.tmp(), "import")) {
      Path treeDir = ws.resolve("tree");
      Files.createDirectory(treeDir);
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
      return install(ws, ImageId.ofSha512(r.sha512()), parsed[0], r, builder, blobTmp,
          blobFlush);
    } catch (IOException e) {
      throw new StoreException("image " + image + ": cannot import into " + layout.cas() + ": "
          + describe(e), e);
    }
  }

  private ImageInfo install(Workspace ws, ImageId id, ImageManifest m, AciIngest.Result r,
      TreeBuilder builder, Path blobTmp, EarlyFlush blobFlush)
      throws IOException, StoreException, ImageException {
    // Dependencies are resolved before anything (even a lock file) is created for the image, so
    // that a missing one leaves the store as it was. Re-importing a stored image needs none.
    List<Layer> chain = get(id).isPresent() ? null : dependencyChain(id, m, blobTmp);
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      // The one-pass extraction is the rendered tree exactly when there are no dependencies.
      boolean extracted = m.dependencies().isEmpty() && builder.isWriting();
      Optional<ImageInfo> existing = get(id);
      if (existing.isPresent()) {
        // Same content already stored: reuse it, only filling in its tree if that went missing.
        String treeStoreId = treeStoreId(List.of(new Layer(id, blobTmp, m)));
        if (extracted && !isRendered(layout.tree(treeStoreId))) {
          PreparedTree t = finishExtracted(builder, r.manifest(), m, ws.resolve("tree"), id);
          Durability.syncTree(t.dir);
          markRendered(t.dir);
          installTree(treeStoreId, t.dir);
        }
        return existing.get();
      }
      if (chain == null) {
        // It was stored a moment ago and removed again since.
        chain = dependencyChain(id, m, blobTmp);
      }
      String treeStoreId = treeStoreId(chain);
      PreparedTree tree = extracted
          ? finishExtracted(builder, r.manifest(), m, ws.resolve("tree"), id)
          : render(ws, chain, r.manifest(), m, id);
      Path manifestTmp = ws.resolve("manifest");
      Files.write(manifestTmp, r.manifest(), StandardOpenOption.CREATE_NEW);
      blobFlush.await();
      Durability.syncTree(ws.dir());
      markRendered(tree.dir);
      moveIntoPlace(blobTmp, layout.blob(id));
      moveIntoPlace(manifestTmp, layout.manifest(id));
      installTree(treeStoreId, tree.dir);
      Instant now = Instant.now();
      ImageInfo info = new ImageInfo(id, m.name().value(), m.labels(), now, now, r.tarSize(),
          tree.contentBytes);
      writeInfo(info);
      return info;
    }
  }

  private static ImageManifest parseImageManifest(String image, byte[] bytes)
      throws InvalidManifestException {
    ImageManifest m;
    try {
      m = ImageManifest.parse(bytes);
    } catch (AppcException e) {
      String msg = e.getMessage();
      String prefix = "image manifest: ";
      throw new InvalidManifestException(image, msg.startsWith(prefix)
          ? "invalid manifest: " + msg.substring(prefix.length()) : "invalid manifest: " + msg, e);
    }
    try {
      m.requireOsArch();
    } catch (AppcException e) {
      String msg = e.getMessage();
      String prefix = "image " + m.name() + ": ";
      throw new InvalidManifestException(image,
          msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg, e);
    }
    return m;
  }

  // ---------------------------------------------------------------------------------- queries

  /** The info of a stored image; empty when it is not (completely) stored. */
  public Optional<ImageInfo> get(ImageId id) {
    Path p = layout.info(id);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIoException("cannot read " + p + ": " + describe(e), e);
    }
    ImageInfo info;
    try {
      info = ImageInfoJson.fromJson(bytes);
    } catch (IllegalArgumentException e) {
      // A damaged record makes the image invisible; gc then removes its blob.
      return Optional.empty();
    }
    if (!info.id().equals(id) || !Files.exists(layout.blob(id))) {
      return Optional.empty();
    }
    return Optional.of(info);
  }

  /** Every stored image, oldest import first. */
  public List<ImageInfo> list() {
    List<ImageInfo> out = new ArrayList<>();
    for (ImageId id : storedIds()) {
      get(id).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(ImageInfo::importTime).thenComparing(i -> i.id().value()));
    return out;
  }

  private List<ImageId> storedIds() {
    List<ImageId> ids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.infoDir())) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (StoreLayout.isImageKey(n)) {
          ids.add(new ImageId(n));
        }
      }
    } catch (NoSuchFileException e) {
      return ids;
    } catch (IOException e) {
      throw new StoreIoException("cannot list " + layout.infoDir() + ": " + describe(e), e);
    }
    return ids;
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
    return newest(wanted.name(), wanted.labels()).orElseThrow(() -> new ImageNotFoundException(
        ref, "no image " + wanted.describe() + " in the store"));
  }

  private ImageInfo resolveId(String ref)
      throws ImageNotFoundException, AmbiguousImageException {
    if (!ref.startsWith(ImageId.PREFIX)) {
      throw new ImageNotFoundException(ref, "image id " + Names.quote(ref)
          + ": the store keys images by sha512 only");
    }
    String hex = ref.substring(ImageId.PREFIX.length()).toLowerCase(java.util.Locale.ROOT);
    if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new ImageNotFoundException(ref, "image id " + Names.quote(ref)
          + " is not valid: sha512- must be followed by hex digits");
    }
    if (hex.length() < 2) {
      throw new ImageNotFoundException(ref, "image id prefix " + Names.quote(ref)
          + " is too short: give at least 2 hex digits after sha512-");
    }
    if (hex.length() > 64) {
      // The full 128-digit form: the store keys by the first half.
      hex = hex.substring(0, 64);
    }
    String prefix = ImageId.PREFIX + hex;
    List<ImageInfo> matches = new ArrayList<>();
    for (ImageId id : storedIds()) {
      if (id.value().startsWith(prefix)) {
        get(id).ifPresent(matches::add);
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

  private Optional<ImageInfo> newest(String name, io.jrkt.appc.Labels labels) {
    ImageInfo best = null;
    for (ImageInfo i : list()) {
      if (i.name().equals(name) && i.labels().containsAll(labels)
          && (best == null || !i.importTime().isBefore(best.importTime()))) {
        best = i;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The stored manifest of an image. */
  public ImageManifest manifest(ImageId id) throws StoreException {
    byte[] bytes = manifestBytes(id);
    try {
      return ImageManifest.parse(bytes);
    } catch (AppcException e) {
      throw new StoreException("stored manifest of image " + id + " is invalid: "
          + e.getMessage(), e);
    }
  }

  private byte[] manifestBytes(ImageId id) throws StoreException {
    try {
      return Files.readAllBytes(layout.manifest(id));
    } catch (NoSuchFileException e) {
      throw notFound(id);
    } catch (IOException e) {
      throw new StoreException("cannot read the manifest of image " + id + ": " + describe(e), e);
    }
  }

  /** The stored blob: the uncompressed ACI exactly as imported. */
  public InputStream openBlob(ImageId id) throws StoreException {
    try {
      return Files.newInputStream(layout.blob(id));
    } catch (NoSuchFileException e) {
      throw notFound(id);
    } catch (IOException e) {
      throw new StoreException("cannot read the blob of image " + id + ": " + describe(e), e);
    }
  }

  private static ImageNotFoundException notFound(ImageId id) {
    return new ImageNotFoundException(id.value(), "image " + id + " is not in the store");
  }

  /** Sets the image's last-used time to now (no-op for an image that is not stored). */
  public void touch(ImageId id) {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Optional<ImageInfo> info = get(id);
      if (info.isPresent()) {
        writeInfo(info.get().withLastUsed(Instant.now()));
      }
    } catch (IOException e) {
      throw new StoreIoException("cannot update the last-used time of image " + id + ": "
          + describe(e), e);
    }
  }

  // ---------------------------------------------------------------------------------- trees

  /**
   * The rendered tree of an image with its dependencies, rendering it first when it is missing or
   * incomplete. Does not check the tree's content; see {@link #verifyTree}.
   */
  public TreeRef tree(ImageId id) throws StoreException, ImageException {
    ImageManifest m = manifest(id);
    List<Layer> chain = dependencyChain(id, m, layout.blob(id));
    String treeStoreId = treeStoreId(chain);
    Path dir = layout.tree(treeStoreId);
    if (isRendered(dir)) {
      return treeRef(treeStoreId);
    }
    long size;
    try (KeyLock lock = KeyLock.acquire(layout.treeLock(treeStoreId))) {
      if (isRendered(dir)) {
        return treeRef(treeStoreId);
      }
      size = renderAndReplace(treeStoreId, chain, m, id);
    } catch (IOException e) {
      throw new StoreException("cannot render the tree of image " + id + ": " + describe(e), e);
    }
    recordTreeSize(id, size);
    return treeRef(treeStoreId);
  }

  private TreeRef treeRef(String treeStoreId) {
    Path dir = layout.tree(treeStoreId);
    return new TreeRef(treeStoreId, dir, dir.resolve("rootfs"));
  }

  /**
   * Recomputes the hash of an image's tree and compares it with the one recorded at rendering;
   * a tree that does not match (or is missing) is rendered again.
   *
   * @throws TreeCorruptException when the tree is damaged and rendering it again failed
   */
  public TreeCheck verifyTree(ImageId id) throws StoreException {
    ImageManifest m = manifest(id);
    List<Layer> chain = dependencyChain(id, m, layout.blob(id));
    String treeStoreId = treeStoreId(chain);
    Path dir = layout.tree(treeStoreId);
    TreeCheck.Status status;
    long size;
    try (KeyLock lock = KeyLock.acquire(layout.treeLock(treeStoreId))) {
      if (!isRendered(dir)) {
        status = TreeCheck.Status.RENDERED;
      } else if (recordedHash(dir).equals(TreeHash.compute(dir))) {
        return new TreeCheck(treeStoreId, TreeCheck.Status.OK);
      } else {
        status = TreeCheck.Status.REPAIRED;
      }
      try {
        size = renderAndReplace(treeStoreId, chain, m, id);
      } catch (IOException | ImageException | StoreException e) {
        throw new TreeCorruptException(treeStoreId, "tree " + treeStoreId + " of image " + id
            + " is damaged and could not be rendered again: " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new StoreException("cannot verify the tree of image " + id + ": " + describe(e), e);
    }
    recordTreeSize(id, size);
    return new TreeCheck(treeStoreId, status);
  }

  private static String recordedHash(Path treeDir) {
    try {
      return Files.readString(treeDir.resolve(StoreLayout.HASH), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private void recordTreeSize(ImageId id, long size) {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Optional<ImageInfo> info = get(id);
      if (info.isPresent() && info.get().treeStoreSize() != size) {
        writeInfo(info.get().withTreeStoreSize(size));
      }
    } catch (IOException e) {
      // Only a statistic; the tree itself is in place.
    }
  }

  /** Renders a tree in a workspace and puts it in place of whatever is there. Tree lock held. */
  private long renderAndReplace(String treeStoreId, List<Layer> chain, ImageManifest top,
      ImageId id) throws IOException, StoreException, ImageException {
    byte[] manifest = manifestBytes(id);
    try (Workspace ws = Workspace.create(layout.tmp(), "render")) {
      PreparedTree t = render(ws, chain, manifest, top, id);
      Durability.syncTree(t.dir);
      markRendered(t.dir);
      replaceTree(treeStoreId, t.dir);
      return t.contentBytes;
    }
  }

  /** A complete tree in a workspace, not yet marked rendered. */
  private record PreparedTree(Path dir, long contentBytes) {}

  private PreparedTree finishExtracted(TreeBuilder b, byte[] manifest, ImageManifest m, Path dir,
      ImageId id) throws IOException {
    b.writeManifest(manifest);
    b.applyWhitelist(m.pathWhitelist());
    b.finish();
    writeTreeMeta(dir, b.hash(), id);
    return new PreparedTree(dir, b.contentBytes());
  }

  /** Renders the layers (given top first, as rkt lists them) base first into the workspace. */
  private PreparedTree render(Workspace ws, List<Layer> chain, byte[] manifest,
      ImageManifest top, ImageId id) throws IOException, ImageException {
    Path dir = ws.resolve("rendered");
    Files.createDirectory(dir);
    TreeBuilder b = TreeBuilder.forTree(dir, id.value());
    for (int i = chain.size() - 1; i >= 0; i--) {
      Layer l = chain.get(i);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(l.blob), READ_BUFFER)) {
        AciLayerReader.read(in, l.id.value(), b, null);
      }
    }
    b.writeManifest(manifest);
    b.applyWhitelist(top.pathWhitelist());
    b.finish();
    writeTreeMeta(dir, b.hash(), id);
    return new PreparedTree(dir, b.contentBytes());
  }

  private static void writeTreeMeta(Path dir, String hash, ImageId id) throws IOException {
    Files.writeString(dir.resolve(StoreLayout.HASH), hash, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(StoreLayout.IMAGE), id.value(), StandardCharsets.UTF_8);
  }

  /** The flag that makes a tree valid; written after everything else is on disk. */
  private static void markRendered(Path dir) throws IOException {
    Path flag = dir.resolve(StoreLayout.RENDERED);
    Files.write(flag, new byte[0], StandardOpenOption.CREATE_NEW);
    Durability.fsync(flag);
    Durability.fsync(dir);
  }

  private static boolean isRendered(Path treeDir) {
    return Files.exists(treeDir.resolve(StoreLayout.RENDERED), LinkOption.NOFOLLOW_LINKS);
  }

  /** Puts a finished tree in place unless a valid one is already there. */
  private void installTree(String treeStoreId, Path ready) throws IOException {
    try (KeyLock lock = KeyLock.acquire(layout.treeLock(treeStoreId))) {
      if (isRendered(layout.tree(treeStoreId))) {
        return;
      }
      replaceTree(treeStoreId, ready);
    }
  }

  /** Replaces the tree store entry by {@code ready}. Tree lock held. */
  private void replaceTree(String treeStoreId, Path ready) throws IOException {
    Path dst = layout.tree(treeStoreId);
    if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
      discard(dst);
    }
    Files.move(ready, dst, StandardCopyOption.ATOMIC_MOVE);
    Durability.fsync(layout.treeRoot());
  }

  /** Takes a directory out of sight with one rename, then deletes it. */
  private void discard(Path p) throws IOException {
    Path trash = layout.tmp().resolve("trash-" + UUID.randomUUID());
    try {
      Files.move(p, trash, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    }
    FileTrees.deleteRecursively(trash);
  }

  // ---------------------------------------------------------------------------------- dependencies

  /** One image of a rendering: its id, where its blob is and its manifest. */
  private record Layer(ImageId id, Path blob, ImageManifest manifest) {}

  /**
   * The image and its dependencies in rkt's order: the image first, each image's dependencies
   * inserted right after it (so the last listed dependency comes first). Rendering walks it
   * backwards, base first.
   */
  private List<Layer> dependencyChain(ImageId id, ImageManifest m, Path blob)
      throws StoreException {
    List<Layer> chain = new ArrayList<>();
    chain.add(new Layer(id, blob, m));
    for (int i = 0; i < chain.size(); i++) {
      for (Dependency d : chain.get(i).manifest.dependencies()) {
        if (chain.size() >= MAX_LAYERS) {
          throw new StoreException("image " + id + " has more than " + MAX_LAYERS
              + " layers of dependencies (do its dependencies depend on each other in a cycle?)");
        }
        chain.add(i + 1, resolveDependency(d));
      }
    }
    return chain;
  }

  private Layer resolveDependency(Dependency d) throws StoreException {
    Optional<ImageInfo> found = d.imageId() != null ? get(d.imageId())
        : newest(d.imageName().value(), d.labels());
    if (found.isEmpty()) {
      String what = d.imageId() != null
          ? Names.quote(d.imageName().value()) + " (id " + d.imageId() + ")"
          : ImageRef.describe(d.imageName().value(), d.labels());
      throw new DependencyNotFoundException("dependency " + what
          + " not found in the store; fetch it first");
    }
    ImageId id = found.get().id();
    return new Layer(id, layout.blob(id), manifest(id));
  }

  /** {@code deps-sha512-<64 hex>}: SHA-512 over the comma-joined keys of the chain. */
  static String treeStoreId(List<Layer> chain) {
    StringBuilder sb = new StringBuilder();
    for (Layer l : chain) {
      sb.append(sb.length() == 0 ? "" : ",").append(l.id.value());
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-512")
          .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return StoreLayout.TREE_ID_PREFIX + ImageId.ofSha512(d).value();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------------------------- removal

  /** Removes an image: its info record first (so it disappears at once), trees, manifest, blob. */
  public void remove(ImageId id) throws StoreException {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Path info = layout.info(id);
      Path blob = layout.blob(id);
      Path manifest = layout.manifest(id);
      if (!Files.exists(info) && !Files.exists(blob) && !Files.exists(manifest)) {
        throw notFound(id);
      }
      if (Files.deleteIfExists(info)) {
        Durability.fsync(layout.infoDir());
      }
      for (String treeStoreId : treesOf(id)) {
        try (KeyLock tl = KeyLock.acquire(layout.treeLock(treeStoreId))) {
          discard(layout.tree(treeStoreId));
        }
      }
      Files.deleteIfExists(manifest);
      Files.deleteIfExists(blob);
    } catch (IOException e) {
      throw new StoreException("cannot remove image " + id + ": " + describe(e), e);
    }
  }

  /** Tree store ids whose {@code image} file names this image. */
  private List<String> treesOf(ImageId id) throws IOException {
    List<String> out = new ArrayList<>();
    for (String t : treeIds()) {
      if (id.value().equals(treeImage(t))) {
        out.add(t);
      }
    }
    return out;
  }

  private List<String> treeIds() throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.treeRoot())) {
      for (Path p : ds) {
        out.add(p.getFileName().toString());
      }
    }
    out.sort(null);
    return out;
  }

  private String treeImage(String treeStoreId) {
    try {
      return Files.readString(layout.tree(treeStoreId).resolve(StoreLayout.IMAGE)).trim();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Garbage-collects the store.
   *
   * <ul>
   *   <li>trees not in {@code referencedTreeIds} (pods name theirs) or never completed;
   *   <li>images last used longer than {@code imageGrace} ago, unless a referenced tree is theirs;
   *   <li>blobs and manifests left without an info record by an interrupted import;
   *   <li>entries of {@code cas/tmp/} older than {@code tmpGrace} that no live operation holds.
   * </ul>
   * Entries locked by another operation are skipped; errors are collected, not thrown.
   */
  public ImageGcResult gc(Duration imageGrace, Set<String> referencedTreeIds, Duration tmpGrace) {
    List<ImageId> removedImages = new ArrayList<>();
    List<String> removedTrees = new ArrayList<>();
    List<String> leftovers = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Instant now = Instant.now();

    Set<String> protectedImages = new HashSet<>();
    try {
      for (String t : treeIds()) {
        boolean keep = referencedTreeIds.contains(t) && isRendered(layout.tree(t));
        if (keep) {
          String img = treeImage(t);
          if (img != null) {
            protectedImages.add(img);
          }
          continue;
        }
        try (KeyLock lock = KeyLock.tryAcquire(layout.treeLock(t))) {
          if (lock == null) {
            continue;
          }
          discard(layout.tree(t));
          removedTrees.add(t);
        } catch (IOException e) {
          errors.add("tree " + t + ": " + describe(e));
        }
      }
    } catch (IOException e) {
      errors.add("cannot list " + layout.treeRoot() + ": " + describe(e));
    }

    for (ImageInfo i : list()) {
      if (protectedImages.contains(i.id().value())
          || !i.lastUsed().isBefore(now.minus(imageGrace))) {
        continue;
      }
      try {
        remove(i.id());
        removedImages.add(i.id());
      } catch (ImageNotFoundException e) {
        // Removed meanwhile by someone else.
      } catch (StoreException e) {
        errors.add(e.getMessage());
      }
    }

    removeOrphans(layout.blobRoot(), leftovers, errors);
    removeOrphans(layout.manifestRoot(), leftovers, errors);
    removeStaleTmp(now.minus(tmpGrace), leftovers, errors);
    return new ImageGcResult(removedImages, removedTrees, leftovers, errors);
  }

  /** Blobs or manifests whose image has no info record and is not being imported right now. */
  private void removeOrphans(Path root, List<String> removed, List<String> errors) {
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root)) {
      for (Path prefix : prefixes) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
          for (Path f : files) {
            String key = f.getFileName().toString();
            if (!StoreLayout.isImageKey(key)) {
              continue;
            }
            ImageId id = new ImageId(key);
            try (KeyLock lock = KeyLock.tryAcquire(layout.imageLock(id))) {
              if (lock == null || Files.exists(layout.info(id))) {
                continue;
              }
              if (Files.deleteIfExists(f)) {
                removed.add(layout.cas().relativize(f).toString());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      errors.add("cannot clean " + root + ": " + describe(e));
    }
  }

  private void removeStaleTmp(Instant cutoff, List<String> removed, List<String> errors) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.tmp())) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        try {
          boolean trash = name.startsWith("trash-");
          FileTime mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
          if (!trash && !mtime.toInstant().isBefore(cutoff)) {
            continue;
          }
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (KeyLock lock = KeyLock.tryAcquire(p.resolve(Workspace.LOCK_FILE))) {
              if (lock == null) {
                continue;
              }
              FileTrees.deleteRecursively(p);
            }
          } else {
            Files.deleteIfExists(p);
          }
          removed.add(layout.cas().relativize(p).toString());
        } catch (NoSuchFileException e) {
          // Finished and cleaned up by its owner meanwhile.
        } catch (IOException e) {
          errors.add("cannot remove " + p + ": " + describe(e));
        }
      }
    } catch (IOException e) {
      errors.add("cannot list " + layout.tmp() + ": " + describe(e));
    }
  }

  // ---------------------------------------------------------------------------------- export

  /** Writes the stored blob (the uncompressed ACI, same hash as imported) to {@code out}. */
  public void exportAci(ImageId id, Path out, boolean overwrite) throws StoreException {
    Path blob = layout.blob(id);
    if (get(id).isEmpty()) {
      throw notFound(id);
    }
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
      throw new StoreException(out + " already exists (use --overwrite to replace it)");
    }
    Path parent = out.toAbsolutePath().getParent();
    Path tmp = parent.resolve("." + out.getFileName() + ".jrkt-" + UUID.randomUUID());
    try {
      Files.copy(blob, tmp);
      Files.setAttribute(tmp, "unix:mode", 0644);
      Durability.fsync(tmp);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Reported below.
      }
      throw new StoreException("cannot export image " + id + " to " + out + ": " + describe(e),
          e);
    }
  }

  /**
   * Extracts this image alone (no dependencies) from its blob into {@code dir}: {@code manifest}
   * and {@code rootfs/}, or the rootfs content only. An existing non-empty {@code dir} is
   * replaced only with {@code overwrite}.
   */
  public void extract(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    if (get(id).isEmpty()) {
      throw notFound(id);
    }
    Path tmp = prepareTarget(dir, overwrite);
    try {
      TreeBuilder b = rootfsOnly ? TreeBuilder.forRootfs(tmp, id.value())
          : TreeBuilder.forTree(tmp, id.value());
      byte[] manifest;
      try (InputStream in = new BufferedInputStream(openBlob(id), READ_BUFFER)) {
        manifest = AciLayerReader.read(in, id.value(), b, m -> { });
      }
      if (manifest != null) {
        b.writeManifest(manifest);
      }
      b.finish();
      commitTarget(tmp, dir);
    } catch (IOException e) {
      throw new StoreException("cannot extract image " + id + " to " + dir + ": " + describe(e),
          e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Copies the image's rendered tree (with dependencies) to {@code dir}: {@code manifest} and
   * {@code rootfs/}, or the rootfs content only.
   */
  public void renderTo(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    TreeRef t = tree(id);
    Path tmp = prepareTarget(dir, overwrite);
    try (KeyLock lock = KeyLock.acquire(layout.treeLock(t.treeStoreId()))) {
      if (!isRendered(t.dir())) {
        throw new StoreException("the tree of image " + id + " was removed while copying it");
      }
      if (rootfsOnly) {
        Files.delete(tmp);
        FileTrees.copyTree(t.rootfs(), tmp);
      } else {
        Path manifest = tmp.resolve("manifest");
        Files.copy(t.dir().resolve("manifest"), manifest);
        FileTrees.copyTree(t.rootfs(), tmp.resolve("rootfs"));
      }
      commitTarget(tmp, dir);
    } catch (IOException e) {
      throw new StoreException("cannot render image " + id + " to " + dir + ": " + describe(e),
          e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** Checks {@code dir} may be written and makes an empty sibling to build in. */
  private static Path prepareTarget(Path dir, boolean overwrite) throws StoreException {
    try {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !overwrite && !isEmptyDirectory(dir)) {
        throw new StoreException(dir + " already exists and is not empty (use --overwrite to "
            + "replace it)");
      }
      Path parent = dir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = parent.resolve("." + dir.getFileName() + ".jrkt-" + UUID.randomUUID());
      Files.createDirectory(tmp);
      return tmp;
    } catch (IOException e) {
      throw new StoreException("cannot write to " + dir + ": " + describe(e), e);
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

  /** Puts the built sibling in place of {@code dir}, whatever was there. */
  private static void commitTarget(Path tmp, Path dir) throws IOException {
    Path old = null;
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(dir)) {
      old = tmp.resolveSibling(tmp.getFileName() + ".old");
      Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, dir, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (old != null) {
      FileTrees.deleteRecursively(old);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      FileTrees.deleteRecursively(p);
    } catch (IOException ignored) {
      // A leftover sibling is harmless and named as ours.
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  private void moveIntoPlace(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durability.fsync(to.getParent());
  }

  private void writeInfo(ImageInfo info) throws IOException {
    Durability.writeAtomically(layout.info(info.id()), ImageInfoJson.toJson(info), layout.tmp());
  }

  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + e.getMessage();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists: " + e.getMessage();
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
