package io.jrkt.stage1;

import io.jrkt.appc.PodManifest;
import io.jrkt.appc.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Checks at prepare time that every host volume's source exists, so that a typo in
 * {@code --volume} is reported by stage0 with the volume's name instead of by the stage1 when
 * it fails to mount it, after the pod was created.
 */
public final class HostVolumeSources {
  private HostVolumeSources() {
  }

  /**
   * Refuses the first host volume of {@code pod} whose source does not exist on this host (a
   * dangling symlink counts as missing: it cannot be mounted).
   */
  public static void requireExisting(PodManifest pod) throws Stage1Exception {
    requireExisting(pod, Files::exists);
  }

  static void requireExisting(PodManifest pod, Predicate<Path> exists) throws Stage1Exception {
    for (Volume v : pod.volumes()) {
      if (v.isHost() && !exists.test(Path.of(v.source()))) {
        throw new Stage1Exception("volume \"" + v.name() + "\": host source " + v.source()
            + " does not exist");
      }
    }
  }
}
