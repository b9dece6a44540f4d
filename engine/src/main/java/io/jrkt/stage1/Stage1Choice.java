package io.jrkt.stage1;

import java.util.Objects;

/**
 * The stage1 a pod will use: the image, its flavor, and why it was chosen (for {@code --debug}).
 */
public record Stage1Choice(Stage1Image image, Stage1Flavor flavor, String reason) {
  public Stage1Choice {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(reason, "reason");
  }

  static Stage1Choice of(Stage1Image image, String reason) {
    return new Stage1Choice(image, Stage1Flavor.of(image.name()), reason);
  }

  /** One line for {@code --debug}. */
  public String describe() {
    return "using stage1 " + image.displayName() + " (" + image.id().value() + ", flavor "
        + flavor.name() + "): " + reason;
  }
}
