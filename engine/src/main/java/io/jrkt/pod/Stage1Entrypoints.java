package io.jrkt.pod;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A stage1's entrypoints and ABI version, from the annotations of its image manifest
 * ({@code coreos.com/rkt/stage1/run}, {@code enter}, {@code gc}, {@code stop},
 * {@code interface-version}; a missing version means 1). Entrypoint paths are inside the stage1
 * rootfs, which in a pod directory is {@code stage1/rootfs}.
 */
public record Stage1Entrypoints(String imageName, Optional<String> run, Optional<String> enter,
    Optional<String> gc, Optional<String> stop, int interfaceVersion) {
  public static final String PREFIX = "coreos.com/rkt/stage1/";
  /** Where a pod directory keeps its stage1's image manifest. */
  static final String MANIFEST = "stage1/manifest";
  private static final String ROOTFS = "stage1/rootfs";

  /** The entrypoints a stage1 image declares. */
  public static Stage1Entrypoints of(ImageManifest m) throws PodException {
    String v = m.annotations().get(PREFIX + "interface-version").orElse("1");
    int version;
    try {
      version = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      version = -1;
    }
    if (version < 1) {
      throw new PodException("stage1 " + m.name() + ": interface-version \"" + v
          + "\" is not a positive number");
    }
    return new Stage1Entrypoints(m.name().value(), m.annotations().get(PREFIX + "run"),
        m.annotations().get(PREFIX + "enter"), m.annotations().get(PREFIX + "gc"),
        m.annotations().get(PREFIX + "stop"), version);
  }

  /** The entrypoints of the stage1 of the pod in {@code podDir} ({@code stage1/manifest}). */
  public static Stage1Entrypoints read(Path podDir) throws PodException {
    Path f = podDir.resolve(MANIFEST);
    try {
      return of(ImageManifest.parse(Files.readAllBytes(f)));
    } catch (NoSuchFileException e) {
      throw new PodException("pod " + podDir.getFileName() + " has no stage1 manifest (" + f
          + ")");
    } catch (IOException e) {
      throw new PodException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (AppcException e) {
      throw new PodException("invalid stage1 manifest " + f + ": " + e.getMessage(), e);
    }
  }

  /** The host path of the {@code run} entrypoint in a pod directory. */
  public Path runPath(Path podDir) throws PodException {
    return path(podDir, run, "run");
  }

  /** The host path of the {@code enter} entrypoint in a pod directory. */
  public Path enterPath(Path podDir) throws PodException {
    return path(podDir, enter, "enter");
  }

  /** The {@code gc} entrypoint in a pod directory; empty when the stage1 declares none. */
  public Optional<Path> gcPath(Path podDir) throws PodException {
    return existing(podDir, gc, "gc");
  }

  /** The {@code stop} entrypoint in a pod directory; empty when the stage1 declares none. */
  public Optional<Path> stopPath(Path podDir) throws PodException {
    return existing(podDir, stop, "stop");
  }

  private Path path(Path podDir, Optional<String> entry, String what) throws PodException {
    if (entry.isEmpty()) {
      throw new PodException("stage1 " + imageName + " has no " + what
          + " entrypoint (annotation " + PREFIX + what + ")");
    }
    String rel = entry.get();
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    if (rel.isEmpty() || rel.equals("..") || rel.startsWith("../") || rel.contains("/../")) {
      throw new PodException("stage1 " + imageName + ": " + what + " entrypoint \""
          + entry.get() + "\" must be a path inside the stage1");
    }
    return podDir.resolve(ROOTFS).resolve(rel);
  }

  /**
   * An entrypoint that is run as a child of an existing pod: it must be a regular file inside
   * the pod's stage1 rootfs, symlinks resolved. For an overlay pod it is looked up in the
   * stage1's tree (what the overlay shows) and runs from the mounted overlay.
   */
  private Optional<Path> existing(Path podDir, Optional<String> entry, String what)
      throws PodException {
    if (entry.isEmpty() || entry.get().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(checked(podDir, entry, what));
  }

  /** The {@code run} entrypoint, checked to be a regular file inside the stage1 rootfs. */
  public Path checkedRunPath(Path podDir) throws PodException {
    return checked(podDir, run, "run");
  }

  private Path checked(Path podDir, Optional<String> entry, String what) throws PodException {
    Path p = path(podDir, entry, what);
    Path rootfs = podDir.resolve(ROOTFS);
    Path view = PodOverlay.stage1View(podDir);
    Path inView = view.resolve(rootfs.relativize(p));
    try {
      Path viewReal = view.toRealPath();
      Path real = inView.toRealPath();
      if (!real.startsWith(viewReal) || !Files.isRegularFile(real)) {
        throw new PodException("stage1 entrypoint " + entry.get() + " of pod "
            + podDir.getFileName() + " is not a file inside the stage1 rootfs");
      }
      // An overlay pod's entrypoint runs from its mounted stage1 rootfs, at the same place.
      return view.equals(rootfs) ? real : rootfs.resolve(viewReal.relativize(real));
    } catch (NoSuchFileException e) {
      throw new PodException("stage1 entrypoint " + p + " of pod " + podDir.getFileName()
          + " does not exist");
    } catch (IOException e) {
      throw new PodException("cannot inspect stage1 entrypoint " + p + ": " + e.getMessage(), e);
    }
  }
}
