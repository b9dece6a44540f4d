package io.jrkt.store;

import io.jrkt.aci.AciLayerReader;
import io.jrkt.aci.AciWriter;
import io.jrkt.aci.FileTrees;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.appc.ImageId;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writing a stored image out of the store: {@link ImageStore#exportAci},
 * {@link ImageStore#extract} and {@link ImageStore#renderTo}.
 */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class ImageOutput {
  private static final int READ_BUFFER = 256 * 1024;

  private final StoreLayout layout;
  private final ImageRecords records;
  private final TreeStore trees;
  private final ImageTrees imageTrees;

  ImageOutput(StoreLayout layout, ImageRecords records, TreeStore trees, ImageTrees imageTrees) {
    this.layout = layout;
    this.records = records;
    this.trees = trees;
    this.imageTrees = imageTrees;
  }

  void exportAci(ImageId id, Path out, boolean overwrite) throws StoreException {
    records.require(id);
    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
      throw new StoreException(out + " already exists (use --overwrite to replace it)");
    }
    Path tmp = out.toAbsolutePath().getParent()
        .resolve("." + out.getFileName() + ".jrkt-" + UUID.randomUUID());
    try {
      if (id.isOci()) {
        exportOciAsAci(id, tmp);
      } else {
        Files.copy(layout.blob(id), tmp);
      }
      Files.setAttribute(tmp, "unix:mode", 0644);
      Durability.fsync(tmp);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | ImageException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The failure below is what matters.
      }
      throw new StoreException("cannot export image " + id + " to " + out + ": "
          + (e instanceof IOException io ? IoErrors.describe(io) : e.getMessage()), e);
    }
  }

  /** An OCI image as an ACI: its rendered tree (appc manifest and rootfs) as a tar. */
  private void exportOciAsAci(ImageId id, Path tmp)
      throws StoreException, ImageException, IOException {
    TreeRef t = imageTrees.tree(id);
    try (KeyLock lock = trees.lock(t.treeStoreId());
        java.io.OutputStream out = new java.io.BufferedOutputStream(
            Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW), 1 << 16)) {
      if (!trees.isRendered(t.treeStoreId())) {
        throw new IOException("the tree of image " + id + " was removed while exporting it");
      }
      AciWriter.write(t.dir(), out);
    }
  }

  void extract(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    records.require(id);
    try (OutputDirectory out = OutputDirectory.prepare(dir, overwrite)) {
      TreeBuilder b = rootfsOnly ? TreeBuilder.forRootfs(out.building(), id.value())
          : TreeBuilder.forTree(out.building(), id.value());
      byte[] manifest;
      if (id.isOci()) {
        OciLayers.apply(layout, id, b, out.building());
        manifest = records.manifestBytes(id);
      } else {
        try (InputStream in = new BufferedInputStream(records.openBlob(id), READ_BUFFER)) {
          manifest = AciLayerReader.read(in, id.value(), b, m -> { });
        }
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

  void renderTo(ImageId id, Path dir, boolean rootfsOnly, boolean overwrite)
      throws StoreException, ImageException {
    TreeRef t = imageTrees.tree(id);
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
