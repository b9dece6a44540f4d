package io.jrkt.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Pods whose root filesystems are overlays ({@code overlay-prepared} present). Their stage1
 * rootfs and app roots are mounted only inside the pod's own mount namespace (by the overlay
 * helper, {@code lib/jrkt-overlay}); seen from the host, {@code stage1/rootfs} is an empty mount
 * point, the files stage0 and the stage1 write are in the upper layers
 * ({@code overlay/<treeStoreID>/upper[/<app>]}) and the image files in the tree store. So every
 * stage1 entrypoint of such a pod is started through the helper: {@code run} with the overlays
 * mounted in a new namespace, {@code stop} and {@code enter} in the running pod's namespace,
 * {@code gc} with the stage1 overlay mounted in a namespace of its own.
 */
public final class PodOverlay {
  public static final String MARKER = "overlay-prepared";
  public static final String STAGE1_TREE_ID_FILE = "stage1TreeStoreID";
  public static final String APP_TREE_ID_FILE = "treeStoreID";
  public static final String OVERLAY_DIR = "overlay";
  /** The system property naming the helper; by default {@code jrkt-overlay} next to libjrkt. */
  public static final String HELPER_PROPERTY = "jrkt.overlay.helper";
  private static final Pattern TREE_ID = Pattern.compile("deps-[a-z0-9]+-[0-9a-f]{64}");

  private PodOverlay() {}

  /** Whether the pod in {@code podDir} was prepared with overlays. */
  public static boolean isOverlay(Path podDir) {
    return Files.exists(podDir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
  }

  /** {@code overlay/<treeStoreID>/upper}, plus {@code /<app>} for an app (empty for stage1). */
  public static String upper(String treeStoreId, String app) {
    return layer(treeStoreId, "upper", app);
  }

  /** {@code overlay/<treeStoreID>/work}, plus {@code /<app>} for an app (empty for stage1). */
  public static String work(String treeStoreId, String app) {
    return layer(treeStoreId, "work", app);
  }

  private static String layer(String treeStoreId, String kind, String app) {
    requireTreeId(treeStoreId);
    return OVERLAY_DIR + "/" + treeStoreId + "/" + kind + (app.isEmpty() ? "" : "/" + app);
  }

  /** The rendered rootfs of a tree in the data directory's tree store. */
  public static Path treeRootfs(Path dataDir, String treeStoreId) {
    requireTreeId(treeStoreId);
    return dataDir.resolve("cas").resolve("tree").resolve(treeStoreId).resolve("rootfs");
  }

  /** The data directory of a pod directory ({@code <data dir>/pods/<state>/<uuid>}). */
  static Path dataDirOf(Path podDir) {
    return podDir.toAbsolutePath().getParent().getParent().getParent();
  }

  /** The stage1's tree store id recorded in the pod directory. */
  public static String stage1TreeId(Path podDir) throws PodException {
    return readTreeId(podDir.resolve(STAGE1_TREE_ID_FILE));
  }

  /** An app's tree store id recorded in {@code appsinfo/<app>/treeStoreID}. */
  public static String appTreeId(Path podDir, String app) throws PodException {
    return readTreeId(podDir.resolve("appsinfo").resolve(app).resolve(APP_TREE_ID_FILE));
  }

  private static String readTreeId(Path file) throws PodException {
    String id;
    try {
      id = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new PodException("overlay pod " + file.getParent() + ": " + file.getFileName()
          + " is missing");
    } catch (IOException e) {
      throw new PodException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!TREE_ID.matcher(id).matches()) {
      throw new PodException(file + " does not hold a tree store id");
    }
    return id;
  }

  /**
   * The stage1 rootfs as stage0 sees it: {@code stage1/rootfs} for a pod with copied trees, the
   * stage1's tree in the tree store (the lower layer) for an overlay pod.
   */
  public static Path stage1View(Path podDir) throws PodException {
    if (!isOverlay(podDir)) {
      return podDir.resolve("stage1").resolve("rootfs");
    }
    String id = stage1TreeId(podDir);
    Path rootfs = treeRootfs(dataDirOf(podDir), id);
    if (!Files.isDirectory(rootfs, LinkOption.NOFOLLOW_LINKS)) {
      throw new PodException("the stage1 tree " + id + " of pod " + podDir.getFileName()
          + " is no longer in the tree store (" + rootfs + ")");
    }
    return rootfs;
  }

  /**
   * An app's root as stage0 sees it, for looking files up: its copy in the pod, or for an
   * overlay pod its tree in the tree store (files the app wrote are not there).
   */
  public static Path appView(Path podDir, String app) throws PodException {
    if (!isOverlay(podDir)) {
      return podDir.resolve("stage1/rootfs/opt/stage2").resolve(app).resolve("rootfs");
    }
    return treeRootfs(dataDirOf(podDir), appTreeId(podDir, app));
  }

  /** The overlay helper program, when it is installed. */
  public static Optional<Path> helper() {
    String configured = System.getProperty(HELPER_PROPERTY);
    Path helper;
    if (configured != null && !configured.isEmpty()) {
      helper = Path.of(configured);
    } else {
      String lib = System.getProperty("jrkt.native.lib");
      if (lib == null) {
        return Optional.empty();
      }
      helper = Path.of(lib).toAbsolutePath().resolveSibling("jrkt-overlay");
    }
    return Files.isRegularFile(helper) && Files.isExecutable(helper) ? Optional.of(helper)
        : Optional.empty();
  }

  static Path requireHelper() throws PodException {
    return helper().orElseThrow(() -> new PodException("the pod uses overlayfs, but the overlay "
        + "helper jrkt-overlay is not installed next to libjrkt.so"));
  }

  /** argv of the helper that mounts the pod's overlays (or the stage1's only) and execs argv. */
  public static List<String> mountArgv(Path helper, boolean stage1Only, List<String> argv) {
    List<String> out = new ArrayList<>(argv.size() + 5);
    out.add(helper.toString());
    out.add("mount");
    if (stage1Only) {
      out.add("--stage1-only");
    }
    out.add(OverlayRecord.FILE);
    out.add("--");
    out.addAll(argv);
    return out;
  }

  /** argv of the helper that joins the mount namespace of {@code pid} and execs argv. */
  public static List<String> joinArgv(Path helper, int pid, List<String> argv) {
    List<String> out = new ArrayList<>(argv.size() + 4);
    out.add(helper.toString());
    out.add("join");
    out.add(Integer.toString(pid));
    out.add("--");
    out.addAll(argv);
    return out;
  }

  /**
   * The argv that starts a stage1 entrypoint for a running pod: the entrypoint itself, or for an
   * overlay pod the helper joining the pod's mount namespace.
   */
  public static List<String> inRunningPod(Path podDir, List<String> argv) throws PodException {
    if (!isOverlay(podDir)) {
      return argv;
    }
    OptionalInt pid = namespacePid(podDir);
    if (pid.isEmpty()) {
      throw new PodException("pod " + podDir.getFileName() + " has not recorded its pid yet");
    }
    return joinArgv(requireHelper(), pid.getAsInt(), argv);
  }

  /**
   * The argv that starts a stage1 entrypoint for a pod that is not running (gc): for an overlay
   * pod, the helper mounting the stage1 overlay in a namespace of its own first.
   */
  public static List<String> withStage1Mounted(Path podDir, List<String> argv)
      throws PodException {
    if (!isOverlay(podDir)) {
      return argv;
    }
    stage1View(podDir); // the lower layer must still be there
    return mountArgv(requireHelper(), true, argv);
  }

  /**
   * A process in the pod's mount namespace, where its overlays are mounted: the stage1's
   * {@code ppid} (the process whose child is the pod's init) when it wrote one, else {@code pid}.
   */
  static OptionalInt namespacePid(Path podDir) {
    for (String name : new String[] {Pod.PPID_FILE, Pod.PID_FILE}) {
      try {
        String text = Files.readString(podDir.resolve(name), StandardCharsets.UTF_8).trim();
        int pid = Integer.parseInt(text);
        if (pid > 0) {
          return OptionalInt.of(pid);
        }
      } catch (IOException | NumberFormatException e) {
        // not written (yet), or by another stage1 convention: try the next
      }
    }
    return OptionalInt.empty();
  }

  private static void requireTreeId(String id) {
    if (!TREE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("\"" + id + "\" is not a tree store id");
    }
  }
}
