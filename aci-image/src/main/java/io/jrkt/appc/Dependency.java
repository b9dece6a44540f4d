package io.jrkt.appc;

import java.util.Objects;

/**
 * An image this image is layered on: found by name and labels, or pinned by id. {@code imageId}
 * and {@code size} are null when not given.
 */
public record Dependency(AcIdentifier imageName, ImageId imageId, Labels labels, Long size) {
  public Dependency {
    Objects.requireNonNull(imageName, "imageName");
    if (labels == null) {
      labels = Labels.empty();
    }
    if (size != null && size < 0) {
      throw new IllegalArgumentException(
          "dependency " + imageName + ": size must not be negative, got " + size);
    }
  }

  public Dependency(AcIdentifier imageName) {
    this(imageName, null, Labels.empty(), null);
  }
}
