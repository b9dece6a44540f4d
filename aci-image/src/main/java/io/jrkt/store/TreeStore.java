package io.jrkt.store;

import io.jrkt.aci.AciLayerReader;
import io.jrkt.aci.FileTrees;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.aci.TreeHash;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rendered trees under {@code cas/tree/<treeStoreId>/}: {@code rootfs/}, {@code manifest},
 * {@code hash} (see {@link TreeHash}), {@code image} (the top image's key) and {@code rendered},
 * an empty flag written last. Trees are built in a workspace and renamed into place, so a tree
 * directory without the flag is only ever a leftover of an older tool or of a damaged disk.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class TreeStore {
  private static final int READ_BUFFER = 256 * 1024;

  private final StoreLayout layout;

  TreeStore(StoreLayout layout) {
    this.layout = layout;
  }

  /** A complete tree in a workspace, not yet marked rendered. */
  record PreparedTree(Path dir, long contentBytes) {}

  TreeRef ref(String treeStoreId) {
    Path dir = layout.tree(treeStoreId);
    return new TreeRef(treeStoreId, dir, dir.resolve("rootfs"));
  }

  boolean isRendered(String treeStoreId) {
    return isRenderedDir(layout.tree(treeStoreId));
  }

  private static boolean isRenderedDir(Path dir) {
    return Files.exists(dir.resolve(StoreLayout.RENDERED), LinkOption.NOFOLLOW_LINKS);
  }

  KeyLock lock(String treeStoreId) throws IOException {
    return KeyLock.acquire(layout.treeLock(treeStoreId));
  }

  KeyLock tryLock(String treeStoreId) throws IOException {
    return KeyLock.tryAcquire(layout.treeLock(treeStoreId));
  }

  /** Completes a tree extracted in one pass with the import (an image without dependencies). */
  PreparedTree finishExtracted(TreeBuilder b, byte[] manifest, ImageManifest m, Path dir,
      ImageId id) throws IOException {
    b.writeManifest(manifest);
    b.applyWhitelist(m.pathWhitelist());
    b.finish();
    writeMeta(dir, b.hash(), id);
    return new PreparedTree(dir, b.contentBytes());
  }

  /**
   * Renders the layers (listed top first) base first into {@code dir}, which must not exist:
   * later layers replace earlier files, then the top image's path whitelist filters the result.
   */
  PreparedTree render(Path dir, List<Layer> chain, byte[] manifest, ImageManifest top,
      ImageId id) throws IOException, ImageException {
    Files.createDirectory(dir);
    TreeBuilder b = TreeBuilder.forTree(dir, id.value());
    if (id.isOci()) {
      // OCI images have no appc dependencies: their layers are the chain.
      try {
        OciLayers.apply(layout, id, b, dir);
      } catch (StoreException e) {
        throw new IOException(e.getMessage(), e);
      }
      return finishExtracted(b, manifest, top, dir, id);
    }
    for (int i = chain.size() - 1; i >= 0; i--) {
      Layer l = chain.get(i);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(l.blob()),
          READ_BUFFER)) {
        AciLayerReader.read(in, l.id().value(), b, null);
      }
    }
    return finishExtracted(b, manifest, top, dir, id);
  }

  private static void writeMeta(Path dir, String hash, ImageId id) throws IOException {
    Files.writeString(dir.resolve(StoreLayout.HASH), hash, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(StoreLayout.IMAGE), id.value(), StandardCharsets.UTF_8);
  }

  /** Writes the flag that makes a tree valid, once everything else is on disk. */
  static void markRendered(Path dir) throws IOException {
    Path flag = dir.resolve(StoreLayout.RENDERED);
    Files.write(flag, new byte[0], StandardOpenOption.CREATE_NEW);
    Durability.fsync(flag);
    Durability.fsync(dir);
  }

  /** Flushes a prepared tree, marks it rendered and puts it in place unless a valid one is. */
  void install(String treeStoreId, Path ready) throws IOException {
    try (KeyLock lock = lock(treeStoreId)) {
      if (isRendered(treeStoreId)) {
        return;
      }
      replace(treeStoreId, ready);
    }
  }

  /**
   * Renders a tree in a fresh workspace and puts it in place of whatever is there. The caller
   * holds the tree lock. Returns the tree's content size.
   */
  long renderAndReplace(String treeStoreId, List<Layer> chain, byte[] manifest,
      ImageManifest top, ImageId id) throws IOException, ImageException {
    try (Workspace ws = Workspace.create(layout.tmp(), "render")) {
      PreparedTree t = render(ws.resolve("tree"), chain, manifest, top, id);
      Durability.syncTree(t.dir());
      markRendered(t.dir());
      replace(treeStoreId, t.dir());
      return t.contentBytes();
    }
  }

  /** Replaces the tree store entry by {@code ready}. The caller holds the tree lock. */
  private void replace(String treeStoreId, Path ready) throws IOException {
    Path dst = layout.tree(treeStoreId);
    if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
      discard(dst);
    }
    Files.move(ready, dst, StandardCopyOption.ATOMIC_MOVE);
    Durability.fsync(layout.treeRoot());
  }

  /** Whether the tree matches the hash recorded when it was rendered. Tree lock held. */
  boolean matchesHash(String treeStoreId) throws IOException {
    Path dir = layout.tree(treeStoreId);
    String recorded;
    try {
      recorded = Files.readString(dir.resolve(StoreLayout.HASH), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return false;
    }
    return recorded.equals(TreeHash.compute(dir));
  }

  /** Removes a tree. The caller holds the tree lock. */
  void remove(String treeStoreId) throws IOException {
    discard(layout.tree(treeStoreId));
  }

  /** Takes a directory out of sight with one rename into {@code cas/tmp}, then deletes it. */
  void discard(Path p) throws IOException {
    Path trash = layout.tmp().resolve(StoreGc.TRASH_PREFIX + UUID.randomUUID());
    try {
      Files.move(p, trash, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    }
    FileTrees.deleteRecursively(trash);
  }

  /** All tree store ids present, rendered or not, sorted. */
  List<String> ids() throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.treeRoot())) {
      for (Path p : ds) {
        out.add(p.getFileName().toString());
      }
    }
    out.sort(null);
    return out;
  }

  /** The key in a tree's {@code image} file, or null when it cannot be read. */
  String imageOf(String treeStoreId) {
    try {
      return Files.readString(layout.tree(treeStoreId).resolve(StoreLayout.IMAGE)).trim();
    } catch (IOException e) {
      return null;
    }
  }

  /** Trees rendered for this image (as top image), whatever their dependencies were. */
  List<String> treesOf(ImageId id) throws IOException {
    List<String> out = new ArrayList<>();
    for (String t : ids()) {
      if (id.value().equals(imageOf(t))) {
        out.add(t);
      }
    }
    return out;
  }
}
