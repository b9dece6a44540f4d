package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import java.io.IOException;

/** From a descriptor (of a manifest or an index) to the image manifest for linux/amd64. */
final class ManifestResolution {
  static final String OS = "linux";
  static final String ARCH = "amd64";

  /** Reads a small blob, checked against its descriptor. */
  interface Reader {
    byte[] read(Descriptor d) throws ImageException, IOException;
  }

  private ManifestResolution() {}

  static FetchedManifest resolve(String image, Descriptor top, Reader reader)
      throws ImageException, IOException {
    Descriptor d = top;
    for (int depth = 0; ; depth++) {
      byte[] bytes = reader.read(d);
      try {
        if (MediaTypes.isIndex(d.mediaType()) || isIndexDocument(bytes, d.mediaType())) {
          if (depth > 0) {
            throw new OciImageException(image, "an image index names another index");
          }
          d = OciIndex.parse(bytes, d.mediaType()).select(OS, ARCH);
          continue;
        }
        OciManifest m = OciManifest.parse(bytes, d.mediaType());
        return new FetchedManifest(bytes, d.digest(), m);
      } catch (OciFormatException e) {
        throw new OciImageException(image, e.getMessage(), e);
      }
    }
  }

  private static boolean isIndexDocument(byte[] bytes, String declared) {
    if (declared != null && !declared.isEmpty()) {
      return false;
    }
    try {
      Object v = io.jrkt.json.Json.parse(bytes);
      return v instanceof java.util.Map<?, ?> m && (MediaTypes.isIndex(String.valueOf(
          m.get("mediaType"))) || (m.get("mediaType") == null && m.containsKey("manifests")));
    } catch (io.jrkt.json.JsonException e) {
      return false;
    }
  }

  /** Checks a whole small blob against its descriptor. */
  static void check(String image, Descriptor d, byte[] bytes) throws OciImageException {
    if (bytes.length != d.size()) {
      throw new OciImageException(image, "blob " + d.digest() + " has " + bytes.length
          + " bytes, its descriptor says " + d.size());
    }
    Digest got = Digest.ofBytes(bytes);
    if (!got.equals(d.digest())) {
      throw new OciImageException(image, "blob " + d.digest()
          + " does not match its digest (got " + got + ")");
    }
  }
}
