package io.jrkt.stage1;

import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import java.util.Objects;

/** A stage1 image in the store: its id and manifest. */
public record Stage1Image(ImageId id, ImageManifest manifest) {
  public Stage1Image {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(manifest, "manifest");
  }

  public String name() {
    return manifest.name().value();
  }

  /** {@code name:version}, or the name alone when the image has no version label. */
  public String displayName() {
    return manifest.version().map(v -> name() + ":" + v).orElse(name());
  }
}
