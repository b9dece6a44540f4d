package io.jrkt.appc;

import java.util.Objects;

/**
 * A volume mounted into a pod app at {@code path}. The volume is either declared in the pod's
 * {@code volumes} or carried inline as {@code appVolume} (null otherwise), whose name must then
 * be {@code volume}.
 */
public record Mount(AcName volume, String path, Volume appVolume) {
  public Mount {
    Objects.requireNonNull(volume, "volume");
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("mount of volume " + volume + ": path must not be empty");
    }
    if (appVolume != null && !appVolume.name().equals(volume)) {
      throw new IllegalArgumentException("mount of volume " + volume + ": appVolume is named "
          + appVolume.name() + ", not " + volume);
    }
  }

  public Mount(AcName volume, String path) {
    this(volume, path, null);
  }
}
