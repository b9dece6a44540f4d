package io.jrkt.store;

import io.jrkt.aci.ImageException;
import io.jrkt.aci.TreeBuilder;
import io.jrkt.appc.ImageId;
import io.jrkt.oci.Descriptor;
import io.jrkt.oci.LayerApplier;
import io.jrkt.oci.OciFetchOptions;
import io.jrkt.oci.OciFormatException;
import io.jrkt.oci.OciManifest;
import io.jrkt.oci.SizeBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The stored OCI manifest of an image and the content blobs it names. */
final class OciLayers {
  private OciLayers() {}

  /** The stored OCI manifest of an OCI image. */
  static OciManifest manifest(StoreLayout layout, ImageId id) throws StoreException {
    Path p = layout.blob(id);
    try {
      return OciManifest.parse(Files.readAllBytes(p), null);
    } catch (NoSuchFileException e) {
      throw ImageRecords.notFound(id);
    } catch (IOException e) {
      throw new StoreException("cannot read the manifest of image " + id + ": "
          + IoErrors.describe(e), e);
    } catch (OciFormatException e) {
      throw new StoreException("stored OCI manifest of image " + id + " is invalid: "
          + e.getMessage(), e);
    }
  }

  /** Keys of the blobs an OCI manifest names: config, then layers (each once). */
  static Set<String> contentKeys(OciManifest m) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add(m.config().digest().key());
    for (Descriptor d : m.layers()) {
      keys.add(d.digest().key());
    }
    return keys;
  }

  /** Applies the stored layers of an OCI image, base first, onto {@code b}. */
  static void apply(StoreLayout layout, ImageId id, TreeBuilder b, Path scratch)
      throws StoreException, ImageException, IOException {
    OciManifest m = manifest(layout, id);
    SizeBudget budget = new SizeBudget(OciFetchOptions.DEFAULT_MAX_IMAGE_BYTES, 0, scratch);
    int i = 0;
    for (Descriptor d : m.layers()) {
      i++;
      Path blob = layout.contentBlob(d.digest().key());
      try (InputStream in = Files.newInputStream(blob)) {
        LayerApplier.apply(in, id + " layer " + i + " (" + d.digest() + ")", b, budget);
      } catch (NoSuchFileException e) {
        throw new StoreException("layer " + d.digest() + " of image " + id
            + " is missing from the store; fetch the image again", e);
      }
    }
  }
}
