package io.jrkt.aci;

/**
 * Turns tar entry names into the canonical paths an ACI may hold: {@code manifest}, {@code rootfs}
 * or {@code rootfs/...}, with {@code ./} prefixes, empty and {@code .} components dropped.
 * Anything else is refused, so later code never sees {@code ..} or an absolute path.
 */
public final class ArchivePaths {
  public static final String MANIFEST = "manifest";
  public static final String ROOTFS = "rootfs";
  public static final String ROOTFS_PREFIX = "rootfs/";

  private ArchivePaths() {}

  /**
   * The canonical path of an entry, or null for the archive root itself ({@code ./}), which
   * carries nothing.
   *
   * @throws UnsafeEntryException naming {@code name} when the entry is refused
   */
  public static String normalize(String image, String name) throws UnsafeEntryException {
    String problem = problem(name);
    if (problem != null) {
      throw new UnsafeEntryException(image, name, problem);
    }
    return canonical(name);
  }

  /** Why {@code name} is refused, or null when it is acceptable. */
  static String problem(String name) {
    if (name.isEmpty()) {
      return "empty entry name";
    }
    if (name.indexOf('\0') >= 0) {
      return "entry name contains a NUL character";
    }
    if (name.startsWith("/")) {
      return "absolute path";
    }
    int depth = 0;
    boolean sawDotDot = false;
    String first = null;
    for (String c : name.split("/", -1)) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        sawDotDot = true;
        depth--;
        if (depth < 1) {
          return "path escapes the rootfs";
        }
        continue;
      }
      if (first == null) {
        first = c;
      }
      depth++;
    }
    if (sawDotDot) {
      // Even when it stays inside, a ".." means something else once symlinks are involved.
      return "path contains a \"..\" component";
    }
    if (first == null) {
      return null;
    }
    if (first.equals(MANIFEST)) {
      return depth == 1 ? null : "unexpected entry (an ACI holds only manifest and rootfs/)";
    }
    return first.equals(ROOTFS) ? null
        : "unexpected entry (an ACI holds only manifest and rootfs/)";
  }

  /** The canonical form of a name that {@link #problem} accepted. */
  static String canonical(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** The parent of a canonical path, or null for a top-level one. */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? null : path.substring(0, slash);
  }

  /** Whether {@code path} is {@code ancestor} or below it. */
  static boolean isUnder(String path, String ancestor) {
    return path.equals(ancestor)
        || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
  }
}
