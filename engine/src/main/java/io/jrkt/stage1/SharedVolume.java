package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code empty} volume's backing directory, {@code sharedVolumes/<name>} in the pod directory,
 * which stage0 creates with the volume's mode and owner.
 *
 * @param mode octal, e.g. {@code 0755}
 * @param prefill for docker-converted images, the image path whose content the volume starts
 *     with: {@code app} rootfs relative to the pod directory and the path inside it
 */
public record SharedVolume(AcName name, String mode, int uid, int gid,
    Optional<String> prefill) {
  public SharedVolume {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
  }

  /** The directory, relative to the pod directory. */
  public String relativeDir() {
    return "sharedVolumes/" + name.value();
  }

  public int modeBits() {
    return Integer.parseInt(mode, 8);
  }
}
