package io.jrkt.stage1;

import io.jrkt.aci.FileTrees;
import io.jrkt.appc.AcName;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.OverlayMount;
import io.jrkt.pod.OverlayRecord;
import io.jrkt.pod.PodOverlay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes a pod directory for the stage1: the pod manifest, the stage1 tree, each app's manifest
 * and root filesystem (copied from the tree store), the apps' environment files, the run plan,
 * the status directory and the empty volumes. See the stage1 implementor's guide for the layout.
 */
public final class PodPreparer {
  private static final int POD_MANIFEST_MODE = 0640;

  private final Consumer<String> debug;
  private final Set<Path> linkedStage1Files;

  /** @param debug receives notes (skipped special files) for {@code --debug} */
  public PodPreparer(Consumer<String> debug) {
    this(debug, Set.of());
  }

  /**
   * @param linkedStage1Files files of the stage1 tree that a copy links instead
   *     ({@link Stage1Flavor#linkedTreeFiles})
   */
  public PodPreparer(Consumer<String> debug, Set<Path> linkedStage1Files) {
    this.debug = debug;
    this.linkedStage1Files = Set.copyOf(linkedStage1Files);
  }

  /**
   * Fills {@code podDir}, copying the trees into it.
   *
   * @param stage1Tree the stage1's rendered tree
   * @param stage1Manifest the stage1's image manifest
   * @param images each app's image manifest
   * @param trees each app's rendered tree
   */
  public void prepare(Path podDir, PodManifest pod, TreeInfo stage1Tree,
      ImageManifest stage1Manifest, Map<AcName, ImageManifest> images, Map<AcName, TreeInfo> trees, RunPlanner.Result plan)
      throws Stage1Exception {
    prepare(podDir, pod, stage1Tree, stage1Manifest, images, trees, plan, false);
  }

  /**
   * Fills {@code podDir}. With {@code overlay} nothing is copied: the trees become the lower
   * layers of overlays that the overlay helper mounts when the pod runs (rkt's layout:
   * {@code overlay-prepared}, {@code appsinfo/<app>/treeStoreID},
   * {@code overlay/<treeStoreID>/upper|work}, and jrkt's {@code overlay-mounts} record), and what
   * stage0 puts into the stage1 root goes into the stage1's upper layer.
   */
  public void prepare(Path podDir, PodManifest pod, TreeInfo stage1Tree,
      ImageManifest stage1Manifest, Map<AcName, ImageManifest> images, Map<AcName, TreeInfo> trees, RunPlanner.Result plan,
      boolean overlay) throws Stage1Exception {
    try {
      Path manifestFile = podDir.resolve("pod");
      Files.write(manifestFile, pod.toJson(false).getBytes(StandardCharsets.UTF_8));
      Files.setAttribute(manifestFile, "unix:mode", POD_MANIFEST_MODE);
      Files.write(podDir.resolve(PodOverlay.STAGE1_TREE_ID_FILE),
          stage1Tree.treeStoreId().getBytes(StandardCharsets.UTF_8));

      Path stage1 = podDir.resolve("stage1");
      Files.createDirectory(stage1);
      copyManifest(stage1Tree, stage1Manifest, stage1.resolve("manifest"));
      Path stage1Rootfs = stage1.resolve("rootfs");
      List<OverlayMount> mounts = new ArrayList<>();
      // Where stage0 writes into the stage1 root: the copy, or the stage1's upper layer.
      Path stage1Root;
      if (overlay) {
        Files.createDirectory(stage1Rootfs);
        String id = stage1Tree.treeStoreId();
        mounts.add(layers(podDir, "stage1/rootfs", stage1Tree, ""));
        stage1Root = podDir.resolve(PodOverlay.upper(id, ""));
      } else {
        copyTree(stage1Tree.rootfs(), stage1Rootfs, "stage1", linkedStage1Files);
        stage1Root = stage1Rootfs;
      }

      for (RuntimeApp ra : pod.apps()) {
        AcName app = ra.name();
        TreeInfo tree = trees.get(app);
        ImageManifest image = images.get(app);
        Path info = podDir.resolve("appsinfo").resolve(app.value());
        Files.createDirectories(info);
        copyManifest(tree, image, info.resolve("manifest"));
        String appDirRel = "opt/stage2/" + app.value();
        Path appDir = overlay ? UpperDirs.mkdirs(stage1Root, stage1Tree.rootfs(), appDirRel)
            : Files.createDirectories(stage1Root.resolve(appDirRel));
        copyManifest(tree, image, appDir.resolve("manifest"));
        if (overlay) {
          Files.write(info.resolve(PodOverlay.APP_TREE_ID_FILE),
              tree.treeStoreId().getBytes(StandardCharsets.UTF_8));
          Files.createDirectory(appDir.resolve("rootfs"));
          OverlayMount m = layers(podDir, AppPlan.rootOf(app), tree, app.value());
          mounts.add(m);
          addMtabLink(podDir.resolve(m.upper()), tree.rootfs());
        } else {
          Path rootfs = podDir.resolve(AppPlan.rootOf(app));
          copyTree(tree.rootfs(), rootfs, "app " + app);
          TreeCopier.addMtabLink(rootfs);
        }
      }

      Path rkt = overlay ? UpperDirs.mkdirs(stage1Root, stage1Tree.rootfs(), "rkt")
          : stage1Root.resolve("rkt");
      Files.createDirectories(rkt.resolve("env"));
      Files.createDirectories(rkt.resolve("status"));
      for (AppPlan a : plan.plan().apps()) {
        Files.write(rkt.resolve("env").resolve(a.name().value()), AppEnvironment.envFile(a.env()));
      }
      for (SharedVolume sv : plan.sharedVolumes()) {
        createSharedVolume(podDir, sv, overlay ? trees : null);
      }
      if (overlay) {
        Files.write(podDir.resolve(OverlayRecord.FILE), OverlayRecord.encode(mounts));
        Files.write(podDir.resolve(PodOverlay.MARKER), new byte[0]);
      }
      // Last: a stage1 that finds the plan finds everything else in place.
      Files.write(stage1Root.resolve("rkt/plan"), plan.plan().encode());
    } catch (IOException e) {
      throw new Stage1Exception("cannot prepare pod directory " + podDir + ": "
          + IoErrors.describe(e), e);
    } catch (IllegalArgumentException e) {
      throw new Stage1Exception("cannot prepare pod directory " + podDir + ": "
          + e.getMessage(), e);
    }
  }

  /** Makes the upper and work directories of one overlay; returns its mount. */
  private static OverlayMount layers(Path podDir, String target, TreeInfo tree, String app)
      throws IOException {
    String upper = PodOverlay.upper(tree.treeStoreId(), app);
    String work = PodOverlay.work(tree.treeStoreId(), app);
    Files.createDirectories(podDir.resolve(upper));
    Files.createDirectories(podDir.resolve(work));
    // The upper root's owner and mode are the merged root's.
    UpperDirs.copyAttributes(tree.rootfs(), podDir.resolve(upper));
    return new OverlayMount(target, tree.rootfs().toAbsolutePath(), upper, work);
  }

  /**
   * rkt's {@code /etc/mtab -> ../proc/self/mounts} for an image that has {@code /etc} but no
   * mtab, put into the app's upper layer.
   */
  private static void addMtabLink(Path upper, Path lower) throws IOException {
    Path etc = lower.resolve("etc");
    if (Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(etc.resolve("mtab"), LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(UpperDirs.mkdirs(upper, lower, "etc").resolve("mtab"),
          Path.of("../proc/self/mounts"));
    }
  }

  /** The tree's own manifest file when it has one, else the parsed manifest written out. */
  private static void copyManifest(TreeInfo tree, ImageManifest image, Path to)
      throws IOException {
    Path m = tree.dir().resolve("manifest");
    if (Files.isRegularFile(m)) {
      Files.copy(m, to);
    } else {
      Files.write(to, image.toJson(false).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void copyTree(Path from, Path to, String what) throws IOException {
    copyTree(from, to, what, Set.of());
  }

  private void copyTree(Path from, Path to, String what, Set<Path> linked) throws IOException {
    List<Path> skipped = TreeCopier.copy(from, to, linked).skipped();
    if (!skipped.isEmpty()) {
      debug.accept(what + ": not copied (device nodes, fifos or sockets): " + skipped);
    }
  }

  /** @param overlayTrees the app trees of an overlay pod (the app roots are not in it), or null */
  private static void createSharedVolume(Path podDir, SharedVolume sv,
      Map<AcName, TreeInfo> overlayTrees) throws IOException {
    Path dir = podDir.resolve(sv.relativeDir());
    Files.createDirectories(dir.getParent());
    if (sv.prefill().isPresent()) {
      Path src = podDir.resolve(sv.prefill().get());
      if (overlayTrees != null) {
        for (Map.Entry<AcName, TreeInfo> e : overlayTrees.entrySet()) {
          String root = AppPlan.rootOf(e.getKey());
          String prefill = sv.prefill().get();
          if (prefill.startsWith(root + "/")) {
            src = e.getValue().rootfs().resolve(prefill.substring(root.length() + 1));
          }
        }
      }
      if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
        TreeCopier.copy(src, dir);
      }
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dir);
    }
    Files.setAttribute(dir, "unix:uid", sv.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(dir, "unix:gid", sv.gid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(dir, "unix:mode", sv.modeBits(), LinkOption.NOFOLLOW_LINKS);
  }


  /**
   * Removes a pod directory this process created and still holds locked (a failed prepare), so
   * that no half-written pod is left. Symlinks are removed, never followed.
   */
  public static void deleteTree(Path dir) throws IOException {
    FileTrees.deleteRecursively(dir);
  }
}
