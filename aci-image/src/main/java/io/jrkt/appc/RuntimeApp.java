package io.jrkt.appc;

import java.util.List;
import java.util.Objects;

/**
 * An app of a pod: its name, image, the app section to run ({@code app}, null = the image's own)
 * and its mounts.
 */
public record RuntimeApp(AcName name, RuntimeImage image, App app, boolean readOnlyRootFS,
    List<Mount> mounts, Annotations annotations) {
  public RuntimeApp {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    if (annotations == null) {
      annotations = Annotations.empty();
    }
  }

  public RuntimeApp withApp(App newApp) {
    return new RuntimeApp(name, image, newApp, readOnlyRootFS, mounts, annotations);
  }

  public RuntimeApp withMounts(List<Mount> newMounts) {
    return new RuntimeApp(name, image, app, readOnlyRootFS, newMounts, annotations);
  }

  public RuntimeApp withAnnotations(Annotations newAnnotations) {
    return new RuntimeApp(name, image, app, readOnlyRootFS, mounts, newAnnotations);
  }
}
