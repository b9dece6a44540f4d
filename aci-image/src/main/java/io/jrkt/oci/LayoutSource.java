package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}):
 * the image named by {@code ref} in {@code index.json} (the only one, or {@code latest}, when no
 * ref is given), an index in turn resolved to linux/amd64.
 */
public final class LayoutSource implements ImageSource {
  private static final int MAX_JSON = 4 << 20;

  private final String argument;
  private Path dir;
  private final String ref;
  private ImageNaming naming;

  /**
   * @param argument the image as the user named it
   * @param dir the layout directory; may be null until {@link #prepare} (archives)
   * @param ref the tag or digest to pick in {@code index.json}; null for the only one
   */
  public LayoutSource(String argument, Path dir, String ref) {
    this.argument = argument;
    this.dir = dir;
    this.ref = ref;
  }

  void setDir(Path dir) {
    this.dir = dir;
  }

  @Override
  public String describe() {
    return argument;
  }

  @Override
  public ImageNaming naming() {
    return naming;
  }

  @Override
  public FetchedManifest manifest() throws ImageException, IOException {
    Path layoutFile = dir.resolve("oci-layout");
    if (!Files.isRegularFile(layoutFile)) {
      throw new OciImageException(argument, "not an OCI image layout: " + dir
          + " has no oci-layout file");
    }
    byte[] indexBytes = readFile(dir.resolve("index.json"), "index.json");
    Descriptor top;
    try {
      OciIndex index = OciIndex.parse(indexBytes, MediaTypes.OCI_INDEX);
      top = index.byRef(ref, "the layout");
    } catch (OciFormatException e) {
      throw new OciImageException(argument, "index.json: " + e.getMessage(), e);
    }
    String tag = ref != null && !ref.startsWith("sha256:") ? ref : top.refName();
    naming = new ImageNaming(null, localName(dir), tag, argument);
    return ManifestResolution.resolve(argument, top, d -> smallBlob(d, MAX_JSON));
  }

  /** The image's name for a layout: its directory's (or archive's) name, sanitised later. */
  static String localName(Path p) {
    String n = p.toAbsolutePath().normalize().getFileName() == null ? "image"
        : p.toAbsolutePath().normalize().getFileName().toString();
    for (String ext : new String[] {".tar.gz", ".tgz", ".tar", ".oci"}) {
      if (n.endsWith(ext) && n.length() > ext.length()) {
        n = n.substring(0, n.length() - ext.length());
        break;
      }
    }
    return n;
  }

  private byte[] readFile(Path p, String what) throws OciImageException {
    try {
      if (Files.size(p) > MAX_JSON) {
        throw new OciImageException(argument, what + " is larger than " + (MAX_JSON >> 20)
            + " MiB");
      }
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new OciImageException(argument, "not an OCI image layout: " + what + " is missing");
    } catch (IOException e) {
      throw new OciImageException(argument, "cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  Path blobPath(Descriptor d) {
    return dir.resolve("blobs").resolve(Digest.ALGORITHM).resolve(d.digest().hex());
  }

  @Override
  public byte[] smallBlob(Descriptor d, int maxBytes) throws ImageException, IOException {
    if (d.size() > maxBytes) {
      throw new OciImageException(argument, "blob " + d.digest() + " is larger than "
          + (maxBytes >> 20) + " MiB");
    }
    Path p = blobPath(d);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw missing(d);
    }
    ManifestResolution.check(argument, d, bytes);
    return bytes;
  }

  private OciImageException missing(Descriptor d) {
    return new OciImageException(argument, "blob " + d.describe() + " is missing from the layout");
  }

  @Override
  public void fetchBlob(Descriptor d, Path dest, FetchProgress progress)
      throws ImageException, IOException {
    FetchProgress.Blob p = progress.start(d.digest().hex().substring(0, 12), d.size());
    try (InputStream in = Files.newInputStream(blobPath(d));
        BlobSink sink = new BlobSink(d, argument, dest, p)) {
      sink.copy(in);
      sink.verify();
    } catch (NoSuchFileException e) {
      throw missing(d);
    }
  }
}
