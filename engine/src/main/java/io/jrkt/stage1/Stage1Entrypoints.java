package io.jrkt.stage1;

import io.jrkt.appc.ImageManifest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A stage1's entrypoints and ABI version, from the annotations of its image manifest
 * ({@code coreos.com/rkt/stage1/run}, {@code enter}, {@code gc}, {@code stop},
 * {@code interface-version}; a missing version means 1).
 */
public record Stage1Entrypoints(String imageName, Optional<String> run, Optional<String> enter,
    Optional<String> gc, Optional<String> stop, int interfaceVersion) {
  public static final String PREFIX = "coreos.com/rkt/stage1/";

  public static Stage1Entrypoints of(ImageManifest m) throws Stage1Exception {
    String v = m.annotations().get(PREFIX + "interface-version").orElse("1");
    int version;
    try {
      version = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      version = -1;
    }
    if (version < 1) {
      throw new Stage1Exception("stage1 " + m.name() + ": interface-version \"" + v
          + "\" is not a positive number");
    }
    return new Stage1Entrypoints(m.name().value(), m.annotations().get(PREFIX + "run"),
        m.annotations().get(PREFIX + "enter"), m.annotations().get(PREFIX + "gc"),
        m.annotations().get(PREFIX + "stop"), version);
  }

  /** The host path of the {@code run} entrypoint in a pod directory. */
  public Path runPath(Path podDir) throws Stage1Exception {
    return path(podDir, run, "run");
  }

  /** The host path of the {@code enter} entrypoint in a pod directory. */
  public Path enterPath(Path podDir) throws Stage1Exception {
    return path(podDir, enter, "enter");
  }

  private Path path(Path podDir, Optional<String> entry, String what) throws Stage1Exception {
    if (entry.isEmpty()) {
      throw new Stage1Exception("stage1 " + imageName + " has no " + what
          + " entrypoint (annotation " + PREFIX + what + ")");
    }
    String rel = entry.get();
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    if (rel.isEmpty() || rel.equals("..") || rel.startsWith("../") || rel.contains("/../")) {
      throw new Stage1Exception("stage1 " + imageName + ": " + what + " entrypoint \""
          + entry.get() + "\" must be a path inside the stage1");
    }
    return podDir.resolve("stage1/rootfs").resolve(rel);
  }
}
