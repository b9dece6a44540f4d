package io.jrkt.store;

import io.jrkt.aci.CorruptArchiveException;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.oci.AppcConversion;
import io.jrkt.oci.Descriptor;
import io.jrkt.oci.FetchedManifest;
import io.jrkt.oci.ImageConfig;
import io.jrkt.oci.ImageSource;
import io.jrkt.oci.LayerApplier;
import io.jrkt.oci.OciFetchOptions;
import io.jrkt.oci.OciFormatException;
import io.jrkt.oci.OciImageException;
import io.jrkt.oci.OciManifest;
import io.jrkt.oci.SizeBudget;
import io.jrkt.oci.UserDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@link ImageStore#importOci}: fetches an OCI or Docker image from an {@link ImageSource}, layer
 * blobs in parallel into a workspace (each hashed once while it streams), renders the tree from
 * them in layer order as they arrive, makes the appc manifest from the config, then puts
 * everything in place as an ACI import does: content blobs (kept once, shared between images),
 * OCI manifest, appc manifest, tree, and the info record last.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class OciImport {
  private static final int MAX_CONFIG_BYTES = 4 << 20;
  private static final int MAX_USER_DB_BYTES = 4 << 20;

  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;
  private final TreeIds treeIds;

  OciImport(StoreLayout layout, ImageRecords records, TreeStore trees, TreeIds treeIds) {
    this.layout = layout;
    this.records = records;
    this.trees = trees;
    this.treeIds = treeIds;
  }

  ImageInfo run(ImageSource source, OciFetchOptions options)
      throws StoreException, ImageException {
    String image = source.describe();
    try (Workspace ws = Workspace.create(layout.tmp(), "oci")) {
      source.prepare(Files.createDirectory(ws.resolve("source")), options.progress());
      FetchedManifest fm = source.manifest();
      ImageId id = new ImageId(fm.digest().key());
      Optional<ImageInfo> existing = records.get(id);
      if (existing.isPresent()) {
        return existing.get();
      }
      OciManifest om = fm.manifest();
      byte[] configBytes = source.smallBlob(om.config(), MAX_CONFIG_BYTES);
      ImageConfig config;
      try {
        config = ImageConfig.parse(configBytes);
        AppcConversion.checkPlatform(config);
      } catch (OciFormatException e) {
        throw new OciImageException(image, e.getMessage(), e);
      }
      Path treeDir = Files.createDirectory(ws.resolve("tree"));
      TreeBuilder builder = TreeBuilder.forTree(treeDir, image);
      Map<String, Path> blobs = fetchAndRender(source, om, ws, builder, options);
      byte[] manifestBytes;
      try {
        UserDatabase users = UserDatabase.of(builder.readFile("rootfs/etc/passwd",
            MAX_USER_DB_BYTES), builder.readFile("rootfs/etc/group", MAX_USER_DB_BYTES));
        manifestBytes = AppcConversion.manifest(config, source.naming(), fm.digest(),
            om.config().digest(), users, p -> builder.contains(treePath(p)));
      } catch (OciFormatException e) {
        throw new OciImageException(image, e.getMessage(), e);
      }
      ImageManifest m;
      try {
        m = ImageManifest.parse(manifestBytes);
      } catch (AppcException e) {
        throw new OciImageException(image, e.getMessage(), e);
      }
      options.progress().finish();
      TreeStore.PreparedTree tree = trees.finishExtracted(builder, manifestBytes, m, treeDir, id);
      Path ociManifest = write(ws.resolve("oci-manifest"), fm.bytes());
      Path config2 = write(ws.resolve("config"), configBytes);
      blobs.put(om.config().digest().key(), config2);
      Path appcManifest = write(ws.resolve("manifest"), manifestBytes);
      return install(ws, id, m, fm, om, blobs, ociManifest, appcManifest, tree);
    } catch (IOException e) {
      throw new StoreException("image " + image + ": cannot import into " + layout.cas() + ": "
          + IoErrors.describe(e), e);
    } finally {
      try {
        source.close();
      } catch (IOException ignored) {
        // Closing a source only releases connections or scratch files.
      }
    }
  }

  /** {@code /bin/sh} as the tree's canonical {@code rootfs/bin/sh}. */
  private static String treePath(String absolute) {
    StringBuilder sb = new StringBuilder("rootfs");
    for (String c : absolute.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        sb.append('/').append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Brings every layer blob into the workspace (linked from the store when it has the blob,
   * transferred otherwise, several at once) and applies each, in order, as soon as it is there.
   * Returns the layer files by key.
   */
  private Map<String, Path> fetchAndRender(ImageSource source, OciManifest om, Workspace ws,
      TreeBuilder builder, OciFetchOptions options) throws ImageException, IOException {
    String image = source.describe();
    Path layers = Files.createDirectory(ws.resolve("layers"));
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, Future<?>> pending = new LinkedHashMap<>();
    Map<String, GrowingBlob> growing = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(options.parallelDownloads(), r -> {
      Thread t = new Thread(r, "oci-fetch");
      t.setDaemon(true);
      return t;
    });
    try {
      for (Descriptor d : om.layers()) {
        String key = d.digest().key();
        if (files.containsKey(key)) {
          continue;
        }
        Path dest = layers.resolve(key);
        files.put(key, dest);
        if (linkStored(key, dest, d.size())) {
          growing.put(key, GrowingBlob.whole(dest));
          continue;
        }
        GrowingBlob g = new GrowingBlob(dest);
        growing.put(key, g);
        pending.put(key, pool.submit(() -> {
          boolean ok = false;
          try {
            source.fetchBlob(d, dest, g.progress(options.progress()));
            ok = true;
          } finally {
            g.ended(ok);
          }
          // Onto the disk while the other layers still come and render.
          Durability.fsync(dest);
          return null;
        }));
      }
      SizeBudget budget = new SizeBudget(options.maxImageBytes(), options.diskReserveBytes(),
          ws.dir());
      BackgroundSync flush = new BackgroundSync(ws.dir());
      Map<String, Boolean> applied = new LinkedHashMap<>();
      int i = 0;
      for (Descriptor d : om.layers()) {
        i++;
        String key = d.digest().key();
        // A layer named twice is read from its complete file the second time.
        GrowingBlob g = applied.containsKey(key) ? GrowingBlob.whole(files.get(key))
            : growing.get(key);
        String what = image + " layer " + i + " (" + d.digest() + ")";
        try (InputStream in = g.open()) {
          // Rendered as it arrives; its digest is checked when the transfer ends, below, and
          // nothing is put in place before every layer passed.
          LayerApplier.apply(in, what, builder, budget);
        } catch (SizeBudget.ExceededException e) {
          throw new OciImageException(image, "layer " + i + " (" + d.digest() + "): "
              + e.getMessage(), e);
        } catch (GrowingBlob.TransferFailed | CorruptArchiveException e) {
          // The transfer's own error (digest, truncation, registry) says better what broke.
          await(pending.get(key), image);
          throw e;
        }
        await(pending.get(key), image);
        applied.put(key, true);
        if (i < om.layers().size()) {
          flush.request();
        }
      }
      return files;
    } finally {
      for (Future<?> f : pending.values()) {
        f.cancel(true);
      }
      pool.shutdownNow();
    }
  }

  /** Links a blob the store has into the workspace; false when it has not (or cannot). */
  private boolean linkStored(String key, Path dest, long size) {
    Path stored = layout.contentBlob(key);
    try {
      if (Files.size(stored) != size) {
        return false;
      }
      Files.createLink(dest, stored);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static void await(Future<?> f, String image) throws ImageException, IOException {
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching " + image);
    } catch (CancellationException e) {
      throw new InterruptedIOException("fetch of " + image + " was cancelled");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ImageException ie) {
        throw ie;
      }
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
  }

  private ImageInfo install(Workspace ws, ImageId id, ImageManifest m, FetchedManifest fm,
      OciManifest om, Map<String, Path> blobs, Path ociManifest, Path appcManifest,
      TreeStore.PreparedTree tree) throws IOException {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id));
        KeyLock content = KeyLock.acquire(layout.contentBlobLock())) {
      Optional<ImageInfo> existing = records.get(id);
      if (existing.isPresent()) {
        return existing.get();
      }
      Durability.syncTree(ws.dir());
      TreeStore.markRendered(tree.dir());
      List<Path> dirs = new ArrayList<>();
      for (Map.Entry<String, Path> b : blobs.entrySet()) {
        Path target = layout.contentBlob(b.getKey());
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          moveIntoPlace(b.getValue(), target, dirs);
        }
      }
      moveIntoPlace(ociManifest, layout.blob(id), dirs);
      moveIntoPlace(appcManifest, layout.manifest(id), dirs);
      for (Path d : dirs) {
        Durability.fsync(d);
      }
      Layer self = new Layer(id, layout.blob(id), m);
      trees.install(treeIds.of(List.of(self)), tree.dir());
      Instant now = Instant.now();
      ImageInfo info = new ImageInfo(id, m.name().value(), m.labels(), now, now,
          fm.bytes().length + om.contentSize(), tree.contentBytes());
      records.write(info);
      return info;
    }
  }

  private static Path write(Path p, byte[] bytes) throws IOException {
    Files.write(p, bytes, StandardOpenOption.CREATE_NEW);
    return p;
  }

  private static void moveIntoPlace(Path from, Path to, List<Path> dirsToSync)
      throws IOException {
    Path dir = to.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (!dirsToSync.contains(dir)) {
      dirsToSync.add(dir);
    }
  }
}
