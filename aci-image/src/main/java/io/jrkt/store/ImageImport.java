package io.jrkt.store;

import io.jrkt.aci.AciIngest;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.InvalidManifestException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link ImageStore#importAci}: one pass over an ACI file that hashes it, stores it as the blob
 * and extracts its tree, then puts blob, manifest, tree and finally the info record in place.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class ImageImport {
  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;
  private final TreeIds treeIds;

  ImageImport(StoreLayout layout, ImageRecords records, TreeStore trees, TreeIds treeIds) {
    this.layout = layout;
    this.records = records;
    this.trees = trees;
    this.treeIds = treeIds;
  }

  /** What one pass over an ACI produced in the import workspace. */
  private record Ingested(ImageId id, ImageManifest manifest, AciIngest.Result result,
      TreeBuilder builder, Path treeDir, Path blob, EarlyFlush blobFlush) {

    /** The one-pass extraction is the rendered tree exactly when there are no dependencies. */
    boolean extractedTree() {
      return manifest.dependencies().isEmpty() && builder.isWriting();
    }
  }

  ImageInfo run(Path file) throws StoreException, ImageException {
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
      Path digestTmp = ws.resolve("digest");
      Files.writeString(digestTmp, ImageId.fullForm(in.result.sha512()),
          StandardOpenOption.CREATE_NEW);
      in.blobFlush.await();
      Durability.syncTree(ws.dir());
      TreeStore.markRendered(tree.dir());
      moveIntoPlace(in.blob, layout.blob(id));
      moveIntoPlace(manifestTmp, layout.manifest(id));
      moveIntoPlace(digestTmp, layout.fullDigest(id));
      trees.install(treeIds.of(chain), tree.dir());
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
    String treeStoreId = treeIds.of(List.of(new Layer(in.id, in.blob, in.manifest)));
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

  private static void moveIntoPlace(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durability.fsync(to.getParent());
  }
}
