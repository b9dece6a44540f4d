package io.jrkt.stage1;

import io.jrkt.aci.ImageException;
import io.jrkt.appc.ImageId;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageNotFoundException;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the image an app argument of run/prepare names, as {@code fetch} reads image arguments:
 * an image id (prefix) or a name ({@code name[:version]}, {@code name,label=v}) is looked up in
 * the store; a file (a path, or a {@code file://} URL) is imported, which needs
 * {@code --insecure-options=image} until signatures can be checked. Remote images need a
 * transport jrkt does not have yet and are refused.
 */
public final class ImageArgResolver {
  private final ImageStore store;
  private final boolean insecureImage;
  private final String pullPolicy;

  /** @param pullPolicy {@code never}, {@code new} or {@code update} */
  public ImageArgResolver(ImageStore store, boolean insecureImage, String pullPolicy) {
    this.store = store;
    this.insecureImage = insecureImage;
    this.pullPolicy = pullPolicy;
  }

  public ResolvedImage resolve(String arg) throws Stage1Exception {
    try {
      ImageInfo info;
      Path file = localFile(arg);
      if (file != null) {
        if (!insecureImage) {
          throw new Stage1Exception("cannot verify the signature of \"" + arg + "\": signature "
              + "verification is not supported yet; pass --insecure-options=image to run it "
              + "without verification");
        }
        info = store.importAci(file);
      } else {
        if (!ImageId.looksLikeId(arg) && pullPolicy.equals("update")) {
          throw new Stage1Exception("image \"" + arg + "\": --pull-policy=update needs discovery,"
              + " which is not supported yet; fetch a file first");
        }
        info = store.resolve(arg);
      }
      return new ResolvedImage(info.id(), store.manifest(info.id()));
    } catch (ImageNotFoundException e) {
      throw new Stage1Exception(e.getMessage()
          + (ImageId.looksLikeId(arg) ? "" : " (fetch it first; discovery is not supported yet)"),
          e);
    } catch (StoreException | ImageException | StoreIoException e) {
      throw new Stage1Exception("image \"" + arg + "\": " + e.getMessage(), e);
    }
  }

  /** The file an argument names, or null when it names a stored image. */
  static Path localFile(String arg) throws Stage1Exception {
    if (arg.startsWith("docker://") || arg.startsWith("oci:") || arg.startsWith("oci-archive:")
        || arg.startsWith("docker-archive:")) {
      throw new Stage1Exception("image \"" + arg + "\": fetching OCI and docker images while"
          + " running is not supported yet; run `jrkt fetch " + arg + "` first, then run the"
          + " image by its sha256- id or name");
    }
    int sep = arg.indexOf("://");
    if (sep > 0) {
      String scheme = arg.substring(0, sep);
      if (!scheme.equals("file")) {
        throw new Stage1Exception("image \"" + arg + "\": fetching " + scheme
            + " URLs is not supported yet; fetch a file");
      }
      try {
        URI uri = new URI(arg);
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
          throw new Stage1Exception("image \"" + arg + "\": a file URL needs an absolute path");
        }
        return Path.of(uri.getPath());
      } catch (URISyntaxException e) {
        throw new Stage1Exception("image \"" + arg + "\": not a URL: " + e.getReason());
      }
    }
    if (ImageId.looksLikeId(arg)) {
      return null;
    }
    Path p = Path.of(arg);
    if (p.isAbsolute() || arg.contains("./") || arg.endsWith(".aci") || Files.exists(p)) {
      return p.toAbsolutePath().normalize();
    }
    return null;
  }
}
