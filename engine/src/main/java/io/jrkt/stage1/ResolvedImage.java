package io.jrkt.stage1;

import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import java.util.Objects;

/** An app's image as found in the store: its id and manifest. */
public record ResolvedImage(ImageId id, ImageManifest manifest) {
  public ResolvedImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(manifest, "manifest");
  }
}
