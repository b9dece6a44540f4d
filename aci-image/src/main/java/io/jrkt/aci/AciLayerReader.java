package io.jrkt.aci;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the (uncompressed) tar stream of one ACI: the {@code manifest} entry is captured, the
 * {@code rootfs/} entries go to a {@link TreeBuilder}, anything else is refused.
 */
public final class AciLayerReader {
  /** Larger manifests are refused rather than read into memory. */
  public static final int MAX_MANIFEST_BYTES = 4 << 20;

  /** Told about the manifest as soon as the stream reaches it. */
  public interface ManifestListener {
    void manifest(byte[] manifest) throws ImageException;
  }

  private AciLayerReader() {}

  /**
   * Reads the whole stream; returns the manifest bytes, or null when the archive has none.
   *
   * @param image how the image is named in messages
   * @param listener called with the manifest when it is reached; null to ignore manifests (as
   *     for dependency layers)
   * @throws ImageException for a corrupt archive or a refused entry
   * @throws IOException when writing the tree fails, or {@link UpstreamFailedException} when the
   *     stream's producer failed (its error is the one to report)
   */
  public static byte[] read(InputStream tar, String image, TreeBuilder builder,
      ManifestListener listener) throws ImageException, IOException {
    TarArchiveInputStream tin = new TarArchiveInputStream(tar, "UTF-8");
    EntryData data = new EntryData(tin);
    byte[] manifest = null;
    String last = null;
    int entries = 0;
    while (true) {
      TarArchiveEntry e;
      try {
        e = tin.getNextEntry();
      } catch (IOException ex) {
        rethrowUpstream(ex);
        if (entries == 0) {
          throw new CorruptArchiveException(image, null,
              "not a tar archive (" + ex.getMessage() + ")", ex);
        }
        throw new CorruptArchiveException(image, null, "corrupt tar data after entry "
            + io.jrkt.appc.Names.quote(last) + ": " + ex.getMessage(), ex);
      }
      if (e == null) {
        break;
      }
      entries++;
      last = e.getName();
      String path = ArchivePaths.normalize(image, e.getName());
      if (path == null) {
        continue;
      }
      try {
        if (path.equals(ArchivePaths.MANIFEST)) {
          if (listener == null) {
            continue;
          }
          if (manifest != null) {
            throw new InvalidManifestException(image, "the archive has more than one manifest",
                null);
          }
          manifest = readManifest(image, e, data);
          listener.manifest(manifest);
        } else {
          builder.add(path, e, data);
        }
      } catch (EntryData.ReadFailure ex) {
        rethrowUpstream(ex.getCause());
        throw new CorruptArchiveException(image, e.getName(),
            "truncated or corrupt data: " + ex.getCause().getMessage(), ex.getCause());
      }
    }
    if (entries == 0) {
      throw new CorruptArchiveException(image, null, "not a tar archive (no entries found)",
          null);
    }
    return manifest;
  }

  private static void rethrowUpstream(IOException ex) throws UpstreamFailedException {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof UpstreamFailedException) {
        throw (UpstreamFailedException) t;
      }
    }
  }

  private static byte[] readManifest(String image, TarArchiveEntry e, InputStream data)
      throws ImageException, IOException {
    if (e.isDirectory() || e.isSymbolicLink() || e.isLink() || e.isCharacterDevice()
        || e.isBlockDevice() || e.isFIFO()) {
      throw new InvalidManifestException(image, "the manifest entry is not a regular file", null);
    }
    if (e.getSize() > MAX_MANIFEST_BYTES) {
      throw new InvalidManifestException(image, "the manifest is larger than "
          + (MAX_MANIFEST_BYTES >> 20) + " MiB", null);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(e.getSize(), 64));
    data.transferTo(out);
    return out.toByteArray();
  }

  /**
   * The current entry's data; read errors are wrapped so they can be told apart from errors
   * writing the tree (disk full is the store's problem, a truncated archive is the image's).
   */
  private static final class EntryData extends FilterInputStream {
    EntryData(InputStream in) {
      super(in);
    }

    static final class ReadFailure extends IOException {
      private static final long serialVersionUID = 1L;

      ReadFailure(IOException cause) {
        super(cause);
      }

      @Override
      public synchronized IOException getCause() {
        return (IOException) super.getCause();
      }
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw new ReadFailure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new ReadFailure(e);
      }
    }

    @Override
    public void close() {
      // The tar stream is closed by whoever opened it.
    }
  }
}
