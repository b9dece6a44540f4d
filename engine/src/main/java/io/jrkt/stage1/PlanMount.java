package io.jrkt.stage1;

import java.util.List;
import java.util.Objects;

/**
 * One {@code mount} directive of the run plan.
 *
 * @param source an absolute host path, or {@code tmpfs}
 * @param target an absolute, normalised path inside the app rootfs
 * @param options a non-empty list of {@code bind}, {@code rbind}, {@code ro}, {@code tmpfs}
 */
public record PlanMount(String source, String target, List<String> options) {
  private static final List<String> KNOWN = List.of("bind", "rbind", "ro", "tmpfs");

  public PlanMount {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    options = List.copyOf(options);
    if (!source.startsWith("/") && !source.equals("tmpfs")) {
      throw new IllegalArgumentException("mount source must be absolute or tmpfs: " + source);
    }
    if (!isCleanAbsolute(target)) {
      throw new IllegalArgumentException("mount target must be an absolute path without . or ..: "
          + target);
    }
    if (options.isEmpty() || !KNOWN.containsAll(options)) {
      throw new IllegalArgumentException("bad mount options " + options);
    }
  }

  public static PlanMount bind(String source, String target, boolean recursive, boolean readOnly) {
    List<String> o = readOnly ? List.of(recursive ? "rbind" : "bind", "ro")
        : List.of(recursive ? "rbind" : "bind");
    return new PlanMount(source, target, o);
  }

  /** Whether {@code p} is {@code /} or {@code /a/b} without empty, {@code .} or {@code ..} parts. */
  static boolean isCleanAbsolute(String p) {
    if (!p.startsWith("/")) {
      return false;
    }
    if (p.equals("/")) {
      return true;
    }
    for (String part : p.substring(1).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Normalises an app path: collapses repeated slashes, drops {@code .} and a trailing slash.
   *
   * @return null when the path is not absolute or contains {@code ..}
   */
  static String normalize(String p) {
    if (p == null || !p.startsWith("/")) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        return null;
      }
      sb.append('/').append(part);
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  /** How deep the target is: mounts are done parents first. */
  int depth() {
    return target.equals("/") ? 0 : target.split("/").length - 1;
  }
}
