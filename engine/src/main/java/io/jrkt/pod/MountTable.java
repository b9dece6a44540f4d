package io.jrkt.pod;

import io.jrkt.aci.FileTrees;
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
      points.add(FileTrees.unescapeMountPath(f[4]));
    }
    return new MountTable(List.copyOf(points));
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
