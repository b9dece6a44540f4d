package io.jrkt.pod;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The entrypoints a pod's stage1 declares in its image manifest ({@code <pod>/stage1/manifest},
 * annotations {@code coreos.com/rkt/stage1/<name>}); paths are inside the stage1 rootfs.
 */
public final class Stage1Entrypoints {
  public static final String GC = "coreos.com/rkt/stage1/gc";
  public static final String STOP = "coreos.com/rkt/stage1/stop";
  public static final String ENTER = "coreos.com/rkt/stage1/enter";
  public static final String INTERFACE_VERSION = "coreos.com/rkt/stage1/interface-version";

  private final Path podDir;
  private final Map<String, String> annotations;

  private Stage1Entrypoints(Path podDir, Map<String, String> annotations) {
    this.podDir = podDir;
    this.annotations = annotations;
  }

  /** Reads the stage1 image manifest of the pod in {@code podDir}. */
  public static Stage1Entrypoints read(Path podDir) throws PodException {
    Path f = podDir.resolve("stage1").resolve("manifest");
    try {
      return parse(podDir, Files.readAllBytes(f));
    } catch (NoSuchFileException e) {
      throw new PodException("pod " + podDir.getFileName() + " has no stage1 manifest (" + f
          + ")");
    } catch (IOException e) {
      throw new PodException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (JsonException e) {
      throw new PodException("invalid stage1 manifest " + f + ": " + e.getMessage(), e);
    }
  }

  static Stage1Entrypoints parse(Path podDir, byte[] manifest) throws JsonException {
    Map<String, Object> m = Json.asObject(Json.parse(manifest), "stage1 image manifest");
    Map<String, String> ann = new LinkedHashMap<>();
    for (Object o : Json.asArray(m.get("annotations"), "annotations")) {
      Map<String, Object> a = Json.asObject(o, "annotation");
      ann.put(Json.asString(a.get("name"), "annotation name"),
          Json.asString(a.get("value"), "annotation value"));
    }
    return new Stage1Entrypoints(podDir, Map.copyOf(ann));
  }

  /**
   * Runs an entrypoint of this stage1 as a child with cwd = the pod directory, inheriting the
   * environment, stdout and stderr; returns its exit status.
   */
  public int runAsChild(Path entrypoint, java.util.List<String> args) throws PodException {
    return Stage1Process.run(podDir, entrypoint, args);
  }

  /** The stage1 ABI version; 1 when the annotation is missing, as in rkt. */
  public int interfaceVersion() throws PodException {
    String v = annotations.get(INTERFACE_VERSION);
    if (v == null) {
      return 1;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new PodException("stage1 of pod " + podDir.getFileName()
          + " has an invalid interface version \"" + v + "\"");
    }
  }

  /**
   * The host path of the entrypoint named by {@code annotation}, which must be a regular file
   * inside the pod's stage1 rootfs (symlinks are resolved and must stay inside); empty if the
   * stage1 declares none.
   */
  public Optional<Path> entrypoint(String annotation) throws PodException {
    String value = annotations.get(annotation);
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    Path rootfs = podDir.resolve("stage1").resolve("rootfs");
    String rel = value.startsWith("/") ? value.substring(1) : value;
    Path p = rootfs.resolve(rel).normalize();
    if (rel.isEmpty() || !p.startsWith(rootfs)) {
      throw new PodException("stage1 entrypoint " + annotation + "=\"" + value
          + "\" points outside the stage1 rootfs");
    }
    try {
      Path realRoot = rootfs.toRealPath();
      Path real = p.toRealPath();
      if (!real.startsWith(realRoot) || !Files.isRegularFile(real)) {
        throw new PodException("stage1 entrypoint " + value + " of pod " + podDir.getFileName()
            + " is not a file inside the stage1 rootfs");
      }
      return Optional.of(real);
    } catch (NoSuchFileException e) {
      throw new PodException("stage1 entrypoint " + p + " of pod " + podDir.getFileName()
          + " does not exist");
    } catch (IOException e) {
      throw new PodException("cannot inspect stage1 entrypoint " + p + ": " + e.getMessage(), e);
    }
  }
}
