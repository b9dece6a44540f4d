package io.jrkt.pod;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One overlayfs mount of a pod: the tree store's rendered rootfs as the read-only lower layer,
 * the pod's own upper and work directories, mounted on {@code target}. Target, upper and work
 * are relative to the pod directory, so that the mount stays valid wherever the pod directory
 * moves (prepared, run, exited-garbage); the overlay helper mounts from the pod directory as its
 * cwd, where the kernel resolves them.
 *
 * @param target e.g. {@code stage1/rootfs/opt/stage2/<app>/rootfs}
 * @param lower absolute: {@code <data dir>/cas/tree/<treeStoreID>/rootfs}
 * @param upper e.g. {@code overlay/<treeStoreID>/upper/<app>}
 * @param work e.g. {@code overlay/<treeStoreID>/work/<app>}
 */
public record OverlayMount(String target, Path lower, String upper, String work) {
  /** mount(2) takes at most one page of option data. */
  static final int MAX_OPTIONS_BYTES = 4095;

  public OverlayMount {
    requireRelative(target, "target");
    requireRelative(upper, "upper directory");
    requireRelative(work, "work directory");
    if (!lower.isAbsolute()) {
      throw new IllegalArgumentException("overlay lower directory " + lower
          + " must be an absolute path");
    }
    requireNoNul(lower.toString(), "lower directory");
    int size = options(lower.toString(), upper, work).getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_OPTIONS_BYTES) {
      throw new IllegalArgumentException("overlay options for " + target + " are " + size
          + " bytes long, more than mount(2) takes (" + MAX_OPTIONS_BYTES
          + "); use a shorter data directory path");
    }
  }

  /** {@code lowerdir=...,upperdir=...,workdir=...}, each path escaped for overlayfs. */
  public String options() {
    return options(lower.toString(), upper, work);
  }

  private static String options(String lower, String upper, String work) {
    return "lowerdir=" + escape(lower) + ",upperdir=" + escape(upper) + ",workdir="
        + escape(work);
  }

  /**
   * Escapes a path for an overlayfs option: {@code ,} separates options and {@code :} lower
   * layers; overlayfs takes a backslash before either (and before itself) literally.
   */
  static String escape(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' || c == ',' || c == ':') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static void requireRelative(String path, String what) {
    requireNoNul(path, what);
    if (path.isEmpty() || path.startsWith("/") || path.equals("..") || path.startsWith("../")
        || path.contains("/../") || path.endsWith("/..")) {
      throw new IllegalArgumentException("overlay " + what + " \"" + path
          + "\" must be a path below the pod directory");
    }
  }

  private static void requireNoNul(String path, String what) {
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("overlay " + what + " contains a NUL character");
    }
  }
}
