package io.jrkt.stage1;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodOverlay;
import io.jrkt.pod.Stage1Entrypoints;
import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hands a pod over to its stage1: replaces this process with an entrypoint, cwd = the pod
 * directory, environment inherited. For {@code run} the locked pod directory fd stays open and
 * its number is passed in {@code RKT_LOCK_FD}; the pod is "running" as long as the stage1 keeps
 * it, and the exit status of this process becomes the pod's.
 */
public final class Stage1Launcher {
  public static final String LOCK_FD_ENV = "RKT_LOCK_FD";

  private Stage1Launcher() {}

  /** The environment of the run entrypoint: ours, with {@code RKT_LOCK_FD} set. */
  public static String[] runEnvironment(Map<String, String> inherited, int lockFd) {
    List<String> env = new ArrayList<>(inherited.size() + 1);
    for (Map.Entry<String, String> e : inherited.entrySet()) {
      if (!e.getKey().equals(LOCK_FD_ENV)) {
        env.add(e.getKey() + "=" + e.getValue());
      }
    }
    env.add(LOCK_FD_ENV + "=" + lockFd);
    return env.toArray(new String[0]);
  }

  /** execve of the run entrypoint; returns only by throwing. */
  public static void execRun(Path podDir, Stage1Entrypoints stage1, Stage1RunArgs args,
      Map<String, String> inherited, int lockFd) throws Stage1Exception {
    Path entry;
    List<String> argv = new ArrayList<>();
    try {
      boolean overlay = PodOverlay.isOverlay(podDir);
      // An overlay pod's stage1 rootfs is mounted by the helper: check the entrypoint here.
      entry = overlay ? stage1.checkedRunPath(podDir) : stage1.runPath(podDir);
      argv.add(entry.toString());
      argv.addAll(args.args());
      if (overlay) {
        argv = PodOverlay.mountArgv(PodOverlay.helper().orElseThrow(() -> new Stage1Exception(
            "the pod uses overlayfs, but the overlay helper jrkt-overlay is not installed")),
            false, argv);
      }
    } catch (PodException e) {
      throw new Stage1Exception(e.getMessage(), e);
    }
    exec(Path.of(argv.get(0)), argv, runEnvironment(inherited, lockFd), podDir,
        new int[] {lockFd});
  }

  /** execve of the enter entrypoint: {@code --pid=PID --appname=APP -- CMD...}. */
  public static void execEnter(Path podDir, Stage1Entrypoints stage1, int pid, String app,
      List<String> command, Map<String, String> inherited) throws Stage1Exception {
    Path entry;
    try {
      entry = stage1.enterPath(podDir);
    } catch (PodException e) {
      throw new Stage1Exception(e.getMessage(), e);
    }
    List<String> env = new ArrayList<>();
    for (Map.Entry<String, String> e : inherited.entrySet()) {
      env.add(e.getKey() + "=" + e.getValue());
    }
    List<String> argv;
    try {
      argv = PodOverlay.inRunningPod(podDir, enterArgv(entry, pid, app, command));
    } catch (PodException e) {
      throw new Stage1Exception(e.getMessage(), e);
    }
    exec(Path.of(argv.get(0)), argv, env.toArray(new String[0]), podDir, new int[0]);
  }

  /** The enter entrypoint's argv, argv[0] included. */
  public static List<String> enterArgv(Path entry, int pid, String app, List<String> command) {
    List<String> argv = new ArrayList<>();
    argv.add(entry.toString());
    argv.add("--pid=" + pid);
    argv.add("--appname=" + app);
    argv.add("--");
    argv.addAll(command);
    return argv;
  }

  private static void exec(Path entry, List<String> argv, String[] env, Path cwd, int[] keep)
      throws Stage1Exception {
    Native.load();
    try {
      Native.execve(entry.toString(), argv.toArray(new String[0]), env, cwd.toString(), keep);
    } catch (NativeException e) {
      throw new Stage1Exception("cannot start the stage1 entrypoint " + entry + ": "
          + e.getMessage(), e);
    }
    throw new Stage1Exception("execve of " + entry + " returned");
  }
}
