package io.jrkt.stage1;

import io.jrkt.aci.FileTrees;
import io.jrkt.appc.AcName;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a pod directory for the stage1: the pod manifest, the stage1 tree, each app's manifest
 * and root filesystem (copied from the tree store), the apps' environment files, the run plan,
 * the status directory and the empty volumes. See the stage1 implementor's guide for the layout.
 */
public final class PodPreparer {
  private static final int POD_MANIFEST_MODE = 0640;

  private final Consumer<String> debug;

  /** @param debug receives notes (skipped special files) for {@code --debug} */
  public PodPreparer(Consumer<String> debug) {
    this.debug = debug;
  }

  /**
   * Fills {@code podDir}.
   *
   * @param stage1Tree the stage1's rendered tree
   * @param stage1Manifest the stage1's image manifest
   * @param images each app's image manifest
   * @param trees each app's rendered tree
   */
  public void prepare(Path podDir, PodManifest pod, TreeInfo stage1Tree,
      ImageManifest stage1Manifest, Map<AcName, ImageManifest> images, Map<AcName, TreeInfo> trees, RunPlanner.Result plan)
      throws Stage1Exception {
    try {
      Path manifestFile = podDir.resolve("pod");
      Files.write(manifestFile, pod.toJson(false).getBytes(StandardCharsets.UTF_8));
      Files.setAttribute(manifestFile, "unix:mode", POD_MANIFEST_MODE);
      Files.write(podDir.resolve("stage1TreeStoreID"),
          stage1Tree.treeStoreId().getBytes(StandardCharsets.UTF_8));

      Path stage1 = podDir.resolve("stage1");
      Files.createDirectory(stage1);
      copyManifest(stage1Tree, stage1Manifest, stage1.resolve("manifest"));
      Path stage1Rootfs = stage1.resolve("rootfs");
      copyTree(stage1Tree.rootfs(), stage1Rootfs, "stage1");

      Path stage2 = stage1Rootfs.resolve("opt/stage2");
      for (RuntimeApp ra : pod.apps()) {
        AcName app = ra.name();
        TreeInfo tree = trees.get(app);
        ImageManifest image = images.get(app);
        Path info = podDir.resolve("appsinfo").resolve(app.value());
        Files.createDirectories(info);
        copyManifest(tree, image, info.resolve("manifest"));
        Path appDir = stage2.resolve(app.value());
        Files.createDirectories(appDir);
        copyManifest(tree, image, appDir.resolve("manifest"));
        Path rootfs = podDir.resolve(AppPlan.rootOf(app));
        copyTree(tree.rootfs(), rootfs, "app " + app);
        TreeCopier.addMtabLink(rootfs);
      }

      Path rkt = stage1Rootfs.resolve("rkt");
      Files.createDirectories(rkt.resolve("env"));
      Files.createDirectories(rkt.resolve("status"));
      for (AppPlan a : plan.plan().apps()) {
        Files.write(rkt.resolve("env").resolve(a.name().value()), AppEnvironment.envFile(a.env()));
      }
      for (SharedVolume sv : plan.sharedVolumes()) {
        createSharedVolume(podDir, sv);
      }
      // Last: a stage1 that finds the plan finds everything else in place.
      Files.write(podDir.resolve(RunPlan.PATH), plan.plan().encode());
    } catch (IOException e) {
      throw new Stage1Exception("cannot prepare pod directory " + podDir + ": "
          + IoErrors.describe(e), e);
    } catch (IllegalArgumentException e) {
      throw new Stage1Exception("cannot prepare pod directory " + podDir + ": "
          + e.getMessage(), e);
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
    List<Path> skipped = TreeCopier.copy(from, to).skipped();
    if (!skipped.isEmpty()) {
      debug.accept(what + ": not copied (device nodes, fifos or sockets): " + skipped);
    }
  }

  private static void createSharedVolume(Path podDir, SharedVolume sv) throws IOException {
    Path dir = podDir.resolve(sv.relativeDir());
    Files.createDirectories(dir.getParent());
    if (sv.prefill().isPresent()) {
      Path src = podDir.resolve(sv.prefill().get());
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
