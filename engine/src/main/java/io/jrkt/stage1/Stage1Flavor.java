package io.jrkt.stage1;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What stage0 must know about a kind of stage1: its image name, the image file shipped next to
 * the launcher, how many apps it can run, and whether host volumes default to recursive binds.
 * A stage1 image with another name is a {@link #custom} flavor with no such limits.
 *
 * @param maxApps 0 for no limit
 */
public record Stage1Flavor(String name, String imageName, Optional<String> bundledFile,
    int maxApps, boolean recursiveVolumesByDefault) {

  public static final Stage1Flavor FLY = new Stage1Flavor("fly", "coreos.com/rkt/stage1-fly",
      Optional.of("stage1-fly.aci"), 1, false);
  public static final Stage1Flavor COREOS = new Stage1Flavor("coreos",
      "coreos.com/rkt/stage1-coreos", Optional.of("stage1-coreos.aci"), 0, true);
  public static final Stage1Flavor KVM = new Stage1Flavor("kvm", "coreos.com/rkt/stage1-kvm",
      Optional.of("stage1-kvm.aci"), 0, true);

  private static final List<Stage1Flavor> KNOWN = List.of(FLY, COREOS, KVM);

  /** The known flavor of an image name. */
  public static Optional<Stage1Flavor> known(String imageName) {
    for (Stage1Flavor f : KNOWN) {
      if (f.imageName.equals(imageName)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The flavor of a stage1 image: a known one by name, or {@link #custom}. */
  public static Stage1Flavor of(String imageName) {
    return known(imageName).orElseGet(() -> custom(imageName));
  }

  public static Stage1Flavor custom(String imageName) {
    return new Stage1Flavor("custom", imageName, Optional.empty(), 0, true);
  }

  /**
   * Whether the flavor's stage1 reads the run plan's isolator directives (caps,
   * no-new-privileges, oom-score-adj, memory-limit, cpu-quota, seccomp): stage1-nspawn's
   * supervisor and stage1-kvm's guest init enforce them; others refuse unknown directives, so
   * the plan has them only for these.
   */
  public boolean takesIsolatorDirectives() {
    return "coreos".equals(name) || "kvm".equals(name);
  }

  /**
   * Whether stage0 sets up the pod's networks (a netns, recorded in the pod directory) before
   * this flavor's stage1 starts: the contained flavors. fly shares the host's network; a custom
   * stage1 does its own networking, as rkt's stage1s did.
   */
  public boolean joinsStage0Netns() {
    return "coreos".equals(name) || "kvm".equals(name);
  }

  /**
   * Files of the flavor's stage1 tree (relative to its rootfs) that its pods only read and that
   * are large: a pod whose trees are copied ({@code --no-overlay}) gets hard links to the tree
   * store's files instead of copies. stage1-kvm's guest kernel (53 MB) and initramfs: qemu reads
   * them, and the stage1 keeps the guest from writing them (its share of the pod directory
   * shows that directory read-only).
   */
  public Set<Path> linkedTreeFiles() {
    return "kvm".equals(name) ? Set.of(Path.of("kernel/vmlinux"), Path.of("kernel/initramfs"))
        : Set.of();
  }

  /**
   * Written out, not generated: a record's generated {@code equals} and {@code hashCode} are
   * linked through invokedynamic on first use, which costs a short command such as {@code run}
   * some 20 ms of its start-up.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Stage1Flavor f && name.equals(f.name) && imageName.equals(f.imageName)
        && bundledFile.equals(f.bundledFile) && maxApps == f.maxApps
        && recursiveVolumesByDefault == f.recursiveVolumesByDefault;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, imageName, bundledFile, maxApps, recursiveVolumesByDefault);
  }

  /** Refuses pods this flavor cannot run. */
  public void checkAppCount(int apps) throws Stage1Exception {
    if (maxApps > 0 && apps > maxApps) {
      String noun = maxApps == 1 ? "exactly one app" : "at most " + maxApps + " apps";
      throw new Stage1Exception("stage1-" + name + " supports " + noun + " per pod; got " + apps);
    }
  }
}
