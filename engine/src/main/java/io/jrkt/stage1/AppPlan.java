package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a stage1 needs to start one app, decided by stage0: where its root is, who it runs
 * as, where, with which environment and argv, and what is mounted into it.
 *
 * @param root the app rootfs relative to the pod directory
 * @param isolators what the stage1 enforces beyond the read-only root; empty for a flavor that
 *     does not take the isolator directives of the plan
 */
public record AppPlan(AcName name, String root, int uid, int gid, List<Integer> groups, String cwd,
    List<KeyValue> env, List<String> exec, List<PlanMount> mounts, boolean readOnlyRootfs,
    Optional<AppIsolators> isolators) {

  public AppPlan {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(root, "root");
    if (root.isEmpty() || root.startsWith("/")) {
      throw new IllegalArgumentException("app root must be relative to the pod directory: "
          + root);
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative uid or gid");
    }
    groups = List.copyOf(groups);
    if (cwd == null || !cwd.startsWith("/")) {
      throw new IllegalArgumentException("cwd must be absolute: " + cwd);
    }
    env = List.copyOf(env);
    exec = List.copyOf(exec);
    if (exec.isEmpty() || !exec.get(0).startsWith("/")) {
      throw new IllegalArgumentException("exec[0] must be an absolute path: " + exec);
    }
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(isolators, "isolators");
  }

  /** A plan without isolator directives. */
  public AppPlan(AcName name, String root, int uid, int gid, List<Integer> groups, String cwd,
      List<KeyValue> env, List<String> exec, List<PlanMount> mounts, boolean readOnlyRootfs) {
    this(name, root, uid, gid, groups, cwd, env, exec, mounts, readOnlyRootfs, Optional.empty());
  }

  /** The app rootfs path, relative to the pod directory, that stage0 fills. */
  public static String rootOf(AcName app) {
    return "stage1/rootfs/opt/stage2/" + app.value() + "/rootfs";
  }
}
