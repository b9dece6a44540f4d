package io.jrkt.oci;

import io.jrkt.aci.ArchivePaths;
import io.jrkt.aci.Compression;
import io.jrkt.aci.CorruptArchiveException;
import io.jrkt.aci.ImageException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.aci.UnsafeEntryException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies one layer (a tar, possibly compressed) onto a tree, in layer order: entries replace
 * what lower layers put at their paths, {@code .wh.NAME} removes NAME from lower layers and
 * {@code .wh..wh..opq} empties its directory of lower layers' entries. Paths are made relative to
 * the rootfs and checked like ACI entries (no {@code ..}, no absolute paths, no writing through
 * symbolic links, hard links only to files of the tree), so a layer cannot reach the host.
 */
public final class LayerApplier {
  static final String WHITEOUT = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";
  private static final int BUFFER = 256 * 1024;

  private LayerApplier() {}

  /**
   * Reads the layer from {@code in} (compression told by magic bytes) and applies it.
   *
   * @param what names the layer in messages
   */
  public static void apply(InputStream in, String what, TreeBuilder builder, SizeBudget budget)
      throws ImageException, IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, BUFFER);
    buffered.mark(Compression.MAGIC_LENGTH);
    byte[] head = new byte[Compression.MAGIC_LENGTH];
    int n = buffered.readNBytes(head, 0, head.length);
    buffered.reset();
    Compression c = Compression.detect(head, n);
    InputStream tar;
    try {
      tar = new Budgeted(c.decompress(buffered), budget);
    } catch (IOException e) {
      throw new CorruptArchiveException(what, null, c.label() + " data is corrupt ("
          + e.getMessage() + ")", e);
    }
    TarArchiveInputStream tin = new TarArchiveInputStream(tar, "UTF-8");
    Set<String> thisLayer = new HashSet<>();
    thisLayer.add(ArchivePaths.ROOTFS);
    String last = null;
    int entries = 0;
    try {
      while (true) {
        TarArchiveEntry e;
        try {
          e = tin.getNextEntry();
        } catch (IOException ex) {
          rethrowBudget(ex);
          throw new CorruptArchiveException(what, null, entries == 0
              ? "not a tar archive (" + ex.getMessage() + ")"
              : "corrupt tar data after entry \"" + last + "\": " + ex.getMessage(), ex);
        }
        if (e == null) {
          break;
        }
        entries++;
        last = e.getName();
        entry(e, tin, what, builder, thisLayer);
      }
    } catch (IOException ex) {
      rethrowBudget(ex);
      throw ex;
    }
  }

  private static void entry(TarArchiveEntry e, InputStream data, String what,
      TreeBuilder builder, Set<String> thisLayer) throws ImageException, IOException {
    String name = e.getName();
    if (name.startsWith("/")) {
      throw new UnsafeEntryException(what, name, "absolute path");
    }
    String path;
    try {
      path = ArchivePaths.normalize(what, ArchivePaths.ROOTFS_PREFIX + name);
    } catch (UnsafeEntryException ex) {
      throw new UnsafeEntryException(what, name, ex.reason());
    }
    String base = path.substring(path.lastIndexOf('/') + 1);
    if (base.startsWith(WHITEOUT)) {
      whiteout(path, base, name, what, builder, thisLayer);
      return;
    }
    if (e.isLink()) {
      String target = e.getLinkName();
      if (target == null || target.startsWith("/")) {
        throw new UnsafeEntryException(what, name, "hard link target \"" + target
            + "\" is outside the rootfs");
      }
      e.setLinkName(ArchivePaths.ROOTFS_PREFIX + target);
    }
    builder.add(path, e, data);
    for (String p = path; p != null && thisLayer.add(p); p = parent(p)) {
      // The entry and its parents belong to this layer: an opaque whiteout keeps them.
    }
  }

  private static void whiteout(String path, String base, String name, String what,
      TreeBuilder builder, Set<String> thisLayer) throws ImageException, IOException {
    String dir = parent(path);
    if (base.equals(OPAQUE)) {
      builder.opaque(dir, thisLayer, name);
      return;
    }
    if (base.startsWith(WHITEOUT + WHITEOUT)) {
      // Other aufs metadata (.wh..wh.plnk, .wh..wh.aufs): nothing to apply.
      return;
    }
    String target = base.substring(WHITEOUT.length());
    if (target.isEmpty() || target.equals(".") || target.equals("..")) {
      throw new UnsafeEntryException(what, name, "whiteout of \"" + target
          + "\" would delete outside its directory");
    }
    String victim = dir + "/" + target;
    if (!thisLayer.contains(victim)) {
      builder.whiteout(victim, name);
    }
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? null : path.substring(0, slash);
  }

  private static void rethrowBudget(IOException ex) throws SizeBudget.ExceededException {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof SizeBudget.ExceededException b) {
        throw b;
      }
    }
  }

  /** Counts expanded bytes against the budget as they are read. */
  private static final class Budgeted extends FilterInputStream {
    private final SizeBudget budget;

    Budgeted(InputStream in, SizeBudget budget) {
      super(in);
      this.budget = budget;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        budget.consume(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        budget.consume(n);
      }
      return n;
    }
  }
}
