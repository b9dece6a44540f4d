package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.MountPoint;
import io.jrkt.appc.PodManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodPreparerTest {
  @TempDir
  Path tmp;

  private TreeInfo tree(String name, String manifestJson) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("cas/tree").resolve(name));
    Files.writeString(dir.resolve("manifest"), manifestJson);
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    return new TreeInfo("deps-sha512-" + name, dir, rootfs);
  }

  @Test
  void writesTheWholePodLayout() throws Exception {
    ImageManifest stage1Manifest = TestImages.manifest("coreos.com/rkt/stage1-fly")
        .annotation("coreos.com/rkt/stage1/run", "/run").build();
    TreeInfo stage1 = tree("s1", stage1Manifest.toJson(false));
    Files.writeString(stage1.rootfs().resolve("run"), "#!/bin/sh\n");
    Files.setAttribute(stage1.rootfs().resolve("run"), "unix:mode", 0755);

    App app = TestImages.app("/bin/sh", "-c", "true")
        .addMountPoint(new MountPoint(new AcName("scratch"), "/scratch", false)).build();
    ResolvedImage img = TestImages.image('a', "example.com/busybox", app);
    TreeInfo appTree = tree("app", img.manifest().toJson(false));
    Files.createDirectories(appTree.rootfs().resolve("etc"));
    Files.createDirectories(appTree.rootfs().resolve("bin"));
    Files.writeString(appTree.rootfs().resolve("bin/sh"), "binary");

    PodArgs args = new PodArgs(ImageArgsParser.parse(List.of("busybox")), List.of(),
        List.of("scratch,kind=empty,mode=0710"), List.of(), List.of(), false, List.of());
    PodManifest pod = new PodManifestGenerator("1.30.0", Map.of()).generate(args,
        List.of(img), "coreos.com/rkt/stage1-fly");
    AcName name = new AcName("busybox");
    Path podDir = Files.createDirectories(tmp.resolve("pods/prepare/u"));
    RunPlanner.Result plan = new RunPlanner(Stage1Flavor.FLY, tmp.resolve("pods/run/u"), null)
        .plan(pod, Map.of(name, img.manifest()), a -> appTree.rootfs());
    List<String> notes = new ArrayList<>();
    new PodPreparer(notes::add).prepare(podDir, pod, stage1, stage1Manifest,
        Map.of(name, img.manifest()), Map.of(name, appTree), plan);

    assertEquals(pod.toJson(false), Files.readString(podDir.resolve("pod")));
    assertEquals(0640, (Integer) Files.getAttribute(podDir.resolve("pod"), "unix:mode") & 0777);
    assertEquals("deps-sha512-s1", Files.readString(podDir.resolve("stage1TreeStoreID")));
    assertEquals(stage1Manifest.toJson(false),
        Files.readString(podDir.resolve("stage1/manifest")));
    assertTrue(Files.isExecutable(podDir.resolve("stage1/rootfs/run")));
    assertEquals(img.manifest().toJson(false),
        Files.readString(podDir.resolve("appsinfo/busybox/manifest")));
    assertEquals(img.manifest().toJson(false),
        Files.readString(podDir.resolve("stage1/rootfs/opt/stage2/busybox/manifest")));
    Path rootfs = podDir.resolve("stage1/rootfs/opt/stage2/busybox/rootfs");
    assertEquals("binary", Files.readString(rootfs.resolve("bin/sh")));
    assertEquals(Path.of("../proc/self/mounts"), Files.readSymbolicLink(rootfs.resolve(
        "etc/mtab")));
    assertFalse(Files.exists(appTree.rootfs().resolve("etc/mtab"), LinkOption.NOFOLLOW_LINKS),
        "the tree store copy stays untouched");
    String env = Files.readString(podDir.resolve("stage1/rootfs/rkt/env/busybox"));
    assertTrue(env.startsWith("PATH=/usr/local/sbin:"), env);
    assertTrue(env.endsWith("AC_APP_NAME=busybox\n"), env);
    assertTrue(Files.isDirectory(podDir.resolve("stage1/rootfs/rkt/status")));
    assertEquals(0710, (Integer) Files.getAttribute(podDir.resolve("sharedVolumes/scratch"),
        "unix:mode") & 07777);
    byte[] planBytes = Files.readAllBytes(podDir.resolve("stage1/rootfs/rkt/plan"));
    assertEquals(new String(plan.plan().encode(), StandardCharsets.UTF_8),
        new String(planBytes, StandardCharsets.UTF_8));
    assertTrue(new String(planBytes, StandardCharsets.UTF_8).contains(
        "mount\0" + tmp.resolve("pods/run/u/sharedVolumes/scratch") + "\0/scratch\0bind\0"));
  }

  @Test
  void overlayPodsGetLayersInsteadOfCopies() throws Exception {
    ImageManifest stage1Manifest = TestImages.manifest("coreos.com/rkt/stage1-fly")
        .annotation("coreos.com/rkt/stage1/run", "/run").build();
    String s1id = "deps-sha512-" + "1".repeat(64);
    String appId = "deps-sha512-" + "2".repeat(64);
    TreeInfo stage1 = tree("1".repeat(64), stage1Manifest.toJson(false));
    Files.writeString(stage1.rootfs().resolve("run"), "#!/bin/sh\n");
    Files.createDirectories(stage1.rootfs().resolve("rkt"));
    Files.setAttribute(stage1.rootfs().resolve("rkt"), "unix:mode", 0700);

    App app = TestImages.app("/bin/sh", "-c", "true").build();
    ResolvedImage img = TestImages.image('a', "example.com/busybox", app);
    TreeInfo appTree = tree("2".repeat(64), img.manifest().toJson(false));
    Path etc = Files.createDirectories(appTree.rootfs().resolve("etc"));
    Files.setAttribute(etc, "unix:mode", 0751);
    Files.writeString(Files.createDirectories(appTree.rootfs().resolve("bin")).resolve("sh"),
        "binary");

    PodArgs args = new PodArgs(ImageArgsParser.parse(List.of("busybox")), List.of(), List.of(),
        List.of(), List.of(), false, List.of());
    PodManifest pod = new PodManifestGenerator("1.30.0", Map.of()).generate(args,
        List.of(img), "coreos.com/rkt/stage1-fly");
    AcName name = new AcName("busybox");
    Path podDir = Files.createDirectories(tmp.resolve("pods/prepare/u"));
    RunPlanner.Result plan = new RunPlanner(Stage1Flavor.FLY, tmp.resolve("pods/run/u"), null)
        .plan(pod, Map.of(name, img.manifest()), a -> appTree.rootfs());
    new PodPreparer(n -> { }).prepare(podDir, pod, stage1, stage1Manifest,
        Map.of(name, img.manifest()), Map.of(name, appTree), plan, true);

    assertTrue(Files.exists(podDir.resolve("overlay-prepared")));
    assertEquals(appId, Files.readString(podDir.resolve("appsinfo/busybox/treeStoreID")));
    // Nothing is copied: the mount points are empty.
    try (var s = Files.list(podDir.resolve("stage1/rootfs"))) {
      assertEquals(0, s.count());
    }
    Path s1upper = podDir.resolve("overlay/" + s1id + "/upper");
    assertTrue(Files.isDirectory(podDir.resolve("overlay/" + s1id + "/work")));
    assertTrue(Files.isDirectory(s1upper.resolve("opt/stage2/busybox/rootfs")));
    assertEquals(img.manifest().toJson(false),
        Files.readString(s1upper.resolve("opt/stage2/busybox/manifest")));
    assertEquals(new String(plan.plan().encode(), StandardCharsets.UTF_8),
        Files.readString(s1upper.resolve("rkt/plan")));
    assertTrue(Files.isRegularFile(s1upper.resolve("rkt/env/busybox")));
    assertTrue(Files.isDirectory(s1upper.resolve("rkt/status")));
    assertEquals(0700, (Integer) Files.getAttribute(s1upper.resolve("rkt"), "unix:mode") & 07777,
        "an upper directory keeps the mode of the lower one it hides");

    Path appUpper = podDir.resolve("overlay/" + appId + "/upper/busybox");
    assertTrue(Files.isDirectory(podDir.resolve("overlay/" + appId + "/work/busybox")));
    assertEquals(Path.of("../proc/self/mounts"),
        Files.readSymbolicLink(appUpper.resolve("etc/mtab")));
    assertEquals(0751, (Integer) Files.getAttribute(appUpper.resolve("etc"), "unix:mode") & 07777);
    assertFalse(Files.exists(appUpper.resolve("bin")), "image files stay in the lower layer");
    assertFalse(Files.exists(appTree.rootfs().resolve("etc/mtab"), LinkOption.NOFOLLOW_LINKS));

    List<String[]> mounts = io.jrkt.pod.OverlayRecord.decode(
        Files.readAllBytes(podDir.resolve("overlay-mounts")));
    assertEquals(2, mounts.size());
    assertEquals("stage1/rootfs", mounts.get(0)[0]);
    assertEquals("lowerdir=" + stage1.rootfs().toAbsolutePath() + ",upperdir=overlay/" + s1id
        + "/upper,workdir=overlay/" + s1id + "/work", mounts.get(0)[1]);
    assertEquals("stage1/rootfs/opt/stage2/busybox/rootfs", mounts.get(1)[0]);
    assertEquals("lowerdir=" + appTree.rootfs().toAbsolutePath() + ",upperdir=overlay/" + appId
        + "/upper/busybox,workdir=overlay/" + appId + "/work/busybox", mounts.get(1)[1]);
  }

  @Test
  void deleteTreeRemovesEverythingWithoutFollowingLinks() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside"), "keep");
    Path pod = Files.createDirectories(tmp.resolve("pod/a/b"));
    Files.writeString(pod.resolve("f"), "x");
    Files.createSymbolicLink(pod.resolve("link"), outside);
    Files.createSymbolicLink(pod.resolve("dirlink"), tmp);
    PodPreparer.deleteTree(tmp.resolve("pod"));
    assertFalse(Files.exists(tmp.resolve("pod")));
    assertEquals("keep", Files.readString(outside));
  }
}
