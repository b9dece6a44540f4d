package io.jrkt.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount points of this process's mount namespace, from {@code /proc/self/mountinfo}. */
final class MountTable {
  static final Path SELF_MOUNTINFO = Path.of("/proc/self/mountinfo");

  private final List<String> mountPoints;

  private MountTable(List<String> mountPoints) {
    this.mountPoints = mountPoints;
  }

  static MountTable read() throws PodException {
    return read(SELF_MOUNTINFO);
  }

  static MountTable read(Path mountinfo) throws PodException {
    try {
      return parse(Files.readString(mountinfo));
    } catch (IOException e) {
      throw new PodException("cannot read " + mountinfo + ": " + e.getMessage(), e);
    }
  }

  /** Parses mountinfo text: the 5th field of each line is the (octal-escaped) mount point. */
  static MountTable parse(String mountinfo) throws PodException {
    List<String> points = new ArrayList<>();
    for (String line : mountinfo.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      if (f.length < 5) {
        throw new PodException("malformed mountinfo line: \"" + line + "\"");
      }
      points.add(unescape(f[4]));
    }
    return new MountTable(List.copyOf(points));
  }

  /** The kernel escapes space, tab, newline and backslash as {@code \ooo}. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }

  /**
   * Mount points at or below {@code dir} (an absolute, symlink-free path), in the order they
   * must be unmounted: the reverse of mount order, so stacked and nested mounts go first.
   */
  List<String> under(Path dir) {
    String root = dir.toString();
    String prefix = root.endsWith("/") ? root : root + "/";
    List<String> hits = new ArrayList<>();
    for (int i = mountPoints.size() - 1; i >= 0; i--) {
      String p = mountPoints.get(i);
      if (p.equals(root) || p.startsWith(prefix)) {
        hits.add(p);
      }
    }
    return hits;
  }
}
