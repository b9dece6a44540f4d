package io.jrkt.appc;

import java.util.Objects;

/** A place in an app's filesystem where a volume is expected. */
public record MountPoint(AcName name, String path, boolean readOnly) {
  public MountPoint {
    Objects.requireNonNull(name, "name");
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("mount point " + name + ": path must not be empty");
    }
  }
}
