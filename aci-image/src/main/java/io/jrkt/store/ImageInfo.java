package io.jrkt.store;

import io.jrkt.appc.ImageId;
import io.jrkt.appc.Labels;
import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows about one image, as kept in its info record ({@code cas/imageinfo/<id>}).
 *
 * @param size bytes of the stored blob (the uncompressed ACI)
 * @param treeStoreSize bytes of file content in the image's rendered tree
 */
public record ImageInfo(ImageId id, String name, Labels labels, Instant importTime,
    Instant lastUsed, long size, long treeStoreSize) {

  public ImageInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(importTime, "importTime");
    Objects.requireNonNull(lastUsed, "lastUsed");
    if (size < 0 || treeStoreSize < 0) {
      throw new IllegalArgumentException("sizes must not be negative");
    }
  }

  /** {@code name:version} when the image has a version label, else the name. */
  public String displayName() {
    return labels.get("version").map(v -> name + ":" + v).orElse(name);
  }

  ImageInfo withLastUsed(Instant t) {
    return new ImageInfo(id, name, labels, importTime, t, size, treeStoreSize);
  }

  ImageInfo withTreeStoreSize(long s) {
    return new ImageInfo(id, name, labels, importTime, lastUsed, size, s);
  }
}
