package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.MountPoint;
import io.jrkt.appc.PodManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunPlannerTest {
  private static final Path RUN_DIR = Path.of("/var/lib/rkt/pods/run/u");

  @TempDir
  Path rootfs;

  private RunPlanner.Result plan(Stage1Flavor flavor, List<String> words, List<String> volumes,
      ResolvedImage img) throws Exception {
    PodArgs args = new PodArgs(ImageArgsParser.parse(words), List.of(), volumes, List.of(),
        List.of(), false, List.of());
    PodManifest pod = new PodManifestGenerator("1.30.0", Map.of()).generate(args,
        List.of(img), flavor.imageName());
    return new RunPlanner(flavor, RUN_DIR, null).plan(pod,
        Map.of(pod.apps().get(0).name(), img.manifest()), app -> rootfs);
  }

  private ResolvedImage image(App app) {
    return TestImages.image('a', "example.com/web", app);
  }

  @Test
  void resolvesIdentityCwdEnvAndExec() throws Exception {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "web:x:1000:1000::/:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "web:x:1000:\n");
    App app = TestImages.app("/bin/web").user("web").group("web").workingDirectory("/srv")
        .supplementaryGids(List.of(3)).build();
    AppPlan a = plan(Stage1Flavor.FLY, List.of("x", "--", "-v"), List.of(), image(app)).plan()
        .apps().get(0);
    assertEquals("web", a.name().value());
    assertEquals("stage1/rootfs/opt/stage2/web/rootfs", a.root());
    assertEquals(1000, a.uid());
    assertEquals(1000, a.gid());
    assertEquals(List.of(3), a.groups());
    assertEquals("/srv", a.cwd());
    assertEquals(List.of("/bin/web", "-v"), a.exec());
    assertTrue(a.env().contains(new KeyValue("AC_APP_NAME", "web")));
    assertEquals(List.of(), a.mounts());
  }

  @Test
  void volumesMountPointsAndImplicitVolumes() throws Exception {
    App app = TestImages.app("/bin/web")
        .addMountPoint(new MountPoint(new AcName("data"), "/data/", true))
        .addMountPoint(new MountPoint(new AcName("cache"), "/var/cache", false))
        .addMountPoint(new MountPoint(new AcName("scratch"), "/scratch", false))
        .build();
    RunPlanner.Result r = plan(Stage1Flavor.FLY,
        List.of("x", "--mount=volume=logs,target=/data/logs"),
        List.of("data,kind=host,source=/srv/data", "cache,kind=host,source=/c,readOnly=false,"
            + "recursive=true", "logs,kind=empty,mode=0700,uid=5,gid=6"), image(app));
    // Parents first (by depth), otherwise in the order the pod and the image name them.
    List<PlanMount> mounts = r.plan().apps().get(0).mounts();
    assertEquals(List.of(
        PlanMount.bind("/srv/data", "/data", false, true),
        PlanMount.bind(RUN_DIR + "/sharedVolumes/scratch", "/scratch", false, false),
        PlanMount.bind(RUN_DIR + "/sharedVolumes/logs", "/data/logs", false, false),
        PlanMount.bind("/c", "/var/cache", true, false)), mounts);
    assertEquals(List.of(
        new SharedVolume(new AcName("logs"), "0700", 5, 6, Optional.empty()),
        new SharedVolume(new AcName("scratch"), "0755", 0, 0, Optional.empty())),
        r.sharedVolumes());
    assertEquals(List.of("app \"web\": no volume for mount point \"scratch\"; using an empty "
        + "volume, which is deleted with the pod"), r.warnings());
  }

  @Test
  void hostVolumesDefaultToRecursiveExceptOnFly() throws Exception {
    App app = TestImages.app("/bin/web")
        .addMountPoint(new MountPoint(new AcName("data"), "/data", false)).build();
    List<String> vol = List.of("data,kind=host,source=/srv");
    assertEquals(List.of("bind"), plan(Stage1Flavor.FLY, List.of("x"), vol, image(app)).plan()
        .apps().get(0).mounts().get(0).options());
    assertEquals(List.of("rbind"), plan(Stage1Flavor.COREOS, List.of("x"), vol, image(app))
        .plan().apps().get(0).mounts().get(0).options());
  }

  @Test
  void dockerImagesPrefillImplicitVolumes() throws Exception {
    App app = TestImages.app("/bin/web")
        .addMountPoint(new MountPoint(new AcName("volume-data"), "/data", false)).build();
    ImageManifest m = TestImages.manifest("registry-1.docker.io/library/web").app(app)
        .annotation("appc.io/docker/repository", "library/web").build();
    RunPlanner.Result r = plan(Stage1Flavor.FLY, List.of("x"), List.of(),
        new ResolvedImage(TestImages.id('e'), m));
    assertEquals(Optional.of("stage1/rootfs/opt/stage2/web/rootfs/data"),
        r.sharedVolumes().get(0).prefill());
  }

  @Test
  void badMountPathsAndUnknownUsersAreRefused() throws Exception {
    App dots = TestImages.app("/bin/web")
        .addMountPoint(new MountPoint(new AcName("d"), "/a/../etc", false)).build();
    assertTrue(assertThrows(Stage1Exception.class, () -> plan(Stage1Flavor.FLY, List.of("x"),
        List.of("d,kind=empty"), image(dots))).getMessage().contains("without \"..\""));
    App nobody = TestImages.app("/bin/web").user("nobody").build();
    assertEquals("app \"web\": user \"nobody\" not found in the image's /etc/passwd",
        assertThrows(Stage1Exception.class, () -> plan(Stage1Flavor.FLY, List.of("x"),
            List.of(), image(nobody))).getMessage());
  }
}
