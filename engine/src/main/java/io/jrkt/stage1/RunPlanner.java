package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Mount;
import io.jrkt.appc.MountPoint;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.appc.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a pod manifest into the run plan: each app's numeric ids (looked up in its rootfs), its
 * working directory, environment, argv, and its volume mounts in the order they must be done.
 *
 * <p>Mounts of an app: the pod manifest's {@code mounts}, plus each image mount point that no
 * mount names, matched with the pod volume of the same name. A mount point without a volume gets
 * an implicit {@code empty} volume (as rkt did, with a warning). A mount is read-only when its
 * volume says so, else when the image's mount point does. Host volumes bind their source
 * ({@code rbind} when recursive; the default depends on the flavor); empty volumes bind their
 * directory under {@code sharedVolumes/}. Parents are mounted before their children.
 */
public final class RunPlanner {
  private static final String DOCKER_ANNOTATION_PREFIX = "appc.io/docker/";

  /** The plan, the empty-volume directories to create, and warnings for the user. */
  public record Result(RunPlan plan, List<SharedVolume> sharedVolumes, List<String> warnings) {}

  /** Where an app's root filesystem is while planning (to resolve its user and group). */
  public interface Rootfs {
    Path of(AcName app);
  }

  private final Stage1Flavor flavor;
  private final Path runPodDir;
  private final String metadataUrl;

  /**
   * @param runPodDir where the pod directory will be while it runs ({@code pods/run/<uuid>}),
   *     for the absolute sources of empty volumes
   * @param metadataUrl {@code AC_METADATA_URL} for the apps, or null
   */
  public RunPlanner(Stage1Flavor flavor, Path runPodDir, String metadataUrl) {
    this.flavor = flavor;
    this.runPodDir = runPodDir;
    this.metadataUrl = metadataUrl;
  }

  /**
   * @param images the image manifest of each app
   * @param rootfs each app's root filesystem (for user and group lookup)
   */
  public Result plan(PodManifest pod, Map<AcName, ImageManifest> images, Rootfs rootfs)
      throws Stage1Exception {
    List<AppPlan> apps = new ArrayList<>();
    Map<AcName, SharedVolume> shared = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    for (RuntimeApp ra : pod.apps()) {
      ImageManifest image = images.get(ra.name());
      if (image == null) {
        throw new IllegalArgumentException("no image manifest for app " + ra.name());
      }
      App app = effectiveApp(ra, image);
      String where = "app \"" + ra.name() + "\"";
      if (app.exec().isEmpty()) {
        throw new Stage1Exception(where + ": image " + image.name()
            + " has an empty \"exec\" (try --exec=BINARY)");
      }
      UserGroupResolver ids = new UserGroupResolver(rootfs.of(ra.name()));
      int uid;
      int gid;
      try {
        uid = ids.uid(app.user());
        gid = ids.gid(app.group());
      } catch (UserGroupException e) {
        throw new Stage1Exception(where + ": " + e.getMessage());
      }
      List<PlanMount> mounts = mounts(pod, ra, app, image, shared, warnings);
      String cwd = app.workingDirectory() == null ? "/" : app.workingDirectory();
      Optional<AppIsolators> isolators = flavor.takesIsolatorDirectives()
          ? Optional.of(AppIsolators.of(app.isolators(), where)) : Optional.empty();
      apps.add(new AppPlan(ra.name(), AppPlan.rootOf(ra.name()), uid, gid,
          app.supplementaryGids(), cwd, AppEnvironment.of(ra.name(), app.environment(),
          metadataUrl), app.exec(), mounts, ra.readOnlyRootFS(), isolators));
    }
    return new Result(new RunPlan(apps), List.copyOf(shared.values()), warnings);
  }

  /** The app section to run: the pod manifest's, or the image's when the pod gives none. */
  public static App effectiveApp(RuntimeApp ra, ImageManifest image) throws Stage1Exception {
    if (ra.app() != null) {
      return ra.app();
    }
    return image.app().orElseThrow(() -> new Stage1Exception("app \"" + ra.name()
        + "\": neither the pod manifest nor image " + image.name() + " has an app section"));
  }

  private List<PlanMount> mounts(PodManifest pod, RuntimeApp ra, App app, ImageManifest image,
      Map<AcName, SharedVolume> shared, List<String> warnings) throws Stage1Exception {
    String where = "app \"" + ra.name() + "\"";
    List<Mount> mounts = new ArrayList<>(ra.mounts());
    for (MountPoint mp : app.mountPoints()) {
      boolean named = false;
      for (Mount m : ra.mounts()) {
        named |= m.volume().equals(mp.name());
      }
      if (!named) {
        mounts.add(new Mount(mp.name(), mp.path()));
      }
    }
    List<PlanMount> out = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (Mount m : mounts) {
      String target = PlanMount.normalize(m.path());
      if (target == null || target.equals("/")) {
        throw new Stage1Exception(where + ": mount path \"" + m.path() + "\" of volume \""
            + m.volume() + "\" must be an absolute path below / without \"..\"");
      }
      if (targets.contains(target)) {
        throw new Stage1Exception(where + ": two mounts on " + target);
      }
      targets.add(target);
      Optional<MountPoint> mp = mountPoint(app, m.volume());
      Volume vol = m.appVolume() != null ? m.appVolume() : pod.volume(m.volume()).orElse(null);
      Optional<String> prefill = Optional.empty();
      if (vol == null) {
        warnings.add(where + ": no volume for mount point \"" + m.volume()
            + "\"; using an empty volume, which is deleted with the pod");
        vol = Volume.empty(m.volume(), null);
        if (isFromDocker(image)) {
          // Docker volume semantics: the volume starts with what the image has there.
          prefill = Optional.of(AppPlan.rootOf(ra.name()) + target);
        }
      }
      boolean readOnly = vol.readOnly() != null ? vol.readOnly()
          : mp.map(MountPoint::readOnly).orElse(false);
      if (vol.isHost()) {
        boolean recursive = vol.recursive() != null ? vol.recursive()
            : flavor.recursiveVolumesByDefault();
        out.add(PlanMount.bind(vol.source(), target, recursive, readOnly));
      } else {
        SharedVolume sv = shared.get(vol.name());
        if (sv == null) {
          sv = new SharedVolume(vol.name(), vol.mode(), vol.uid(), vol.gid(), prefill);
          shared.put(vol.name(), sv);
        }
        String source = runPodDir.resolve(sv.relativeDir()).toString();
        out.add(PlanMount.bind(source, target, false, readOnly));
      }
    }
    out.sort((a, b) -> Integer.compare(a.depth(), b.depth()));
    return out;
  }

  private static Optional<MountPoint> mountPoint(App app, AcName name) {
    for (MountPoint mp : app.mountPoints()) {
      if (mp.name().equals(name)) {
        return Optional.of(mp);
      }
    }
    return Optional.empty();
  }

  private static boolean isFromDocker(ImageManifest image) {
    for (io.jrkt.appc.Annotation a : image.annotations().asList()) {
      if (a.name().startsWith(DOCKER_ANNOTATION_PREFIX)) {
        return true;
      }
    }
    return false;
  }
}
