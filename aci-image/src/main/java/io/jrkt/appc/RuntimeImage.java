package io.jrkt.appc;

import java.util.Objects;

/** The image of a pod app: its id (required), and the name and labels it was asked for by. */
public record RuntimeImage(AcIdentifier name, ImageId id, Labels labels) {
  public RuntimeImage {
    Objects.requireNonNull(id, "id");
    if (labels == null) {
      labels = Labels.empty();
    }
  }
}
