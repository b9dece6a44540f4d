package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Blobs of an unpacked archive, hashed while unpacking: handed over by hard link, not copied. */
final class UnpackedBlobs {
  private UnpackedBlobs() {}

  static ArchiveUnpacker.Entry checked(String image, ArchiveUnpacker.Entry e, Descriptor d)
      throws OciImageException {
    if (e == null) {
      throw new OciImageException(image, "blob " + d.describe() + " is missing from the archive");
    }
    if (!e.digest().equals(d.digest())) {
      throw new OciImageException(image, "blob " + d.digest()
          + " does not match its digest (got " + e.digest() + ")");
    }
    if (e.size() != d.size()) {
      throw new OciImageException(image, "blob " + d.digest() + " has " + e.size()
          + " bytes, its descriptor says " + d.size());
    }
    return e;
  }

  static byte[] read(String image, ArchiveUnpacker.Entry e, Descriptor d, int max)
      throws ImageException, IOException {
    checked(image, e, d);
    if (d.size() > max) {
      throw new OciImageException(image, "blob " + d.digest() + " is larger than "
          + (max >> 20) + " MiB");
    }
    return Files.readAllBytes(e.file());
  }

  static void link(String image, ArchiveUnpacker.Entry e, Descriptor d, Path dest,
      FetchProgress progress) throws ImageException, IOException {
    checked(image, e, d);
    FetchProgress.Blob p = progress.start(d.digest().hex().substring(0, 12), d.size());
    Files.createLink(dest, e.file());
    p.advance(d.size());
    p.done();
  }
}
