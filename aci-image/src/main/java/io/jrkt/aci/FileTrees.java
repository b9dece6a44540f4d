package io.jrkt.aci;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;

/** Whole-tree file operations that never follow symbolic links. */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code p} and everything below it. Symbolic links are removed, not followed; entries
   * that vanish meanwhile (another process cleaning up too) are not an error.
   */
  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    refuseMountsBelow(p);
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        makeWritable(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * A bind mount inside a tree (someone chrooted into a rendered image with /proc or a host
   * directory mounted in it) would make a recursive delete empty the mount's source on the host.
   */
  private static void refuseMountsBelow(Path p) throws IOException {
    Path mountinfo = Path.of("/proc/self/mountinfo");
    if (!Files.isReadable(mountinfo)) {
      return;
    }
    String root = p.toRealPath().toString();
    String prefix = root.endsWith("/") ? root : root + "/";
    for (String line : Files.readAllLines(mountinfo)) {
      String[] f = line.split(" ");
      if (f.length < 5) {
        continue;
      }
      String mountPoint = unescapeMountPath(f[4]);
      if (mountPoint.equals(root) || mountPoint.startsWith(prefix)) {
        throw new IOException("refusing to delete " + p + ": " + mountPoint
            + " is mounted inside it; unmount it first");
      }
    }
  }

  /** mountinfo escapes space, tab, newline and backslash as octal {@code \ooo}. */
  public static String unescapeMountPath(String s) {
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
      char c = s.charAt(i);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  /** Without root, a directory of mode 0555 from an image would keep its children. */
  private static void makeWritable(Path dir) throws IOException {
    if (Files.isWritable(dir) && Files.isExecutable(dir)) {
      return;
    }
    try {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(dir, "unix:mode", (mode & 07777) | 0700);
    } catch (AccessDeniedException | NoSuchFileException ignored) {
      // The deletion that follows reports the real problem.
    }
  }

  /**
   * Copies a tree to {@code dst} (which must not exist) exactly: types, modes (including
   * setuid/setgid/sticky), owners where permitted, times (of symbolic links too), symbolic links
   * as links, and hard links inside the tree as hard links. A device node, fifo or socket makes
   * it fail.
   */
  public static void copyTree(Path src, Path dst) throws IOException {
    new TreeCopy(src, false, true).to(dst);
  }

  /**
   * Copies a root filesystem into a pod: as {@link #copyTree}, except that device nodes, fifos
   * and sockets (which Java cannot create) are left out and returned, relative to {@code src},
   * and symbolic links keep the time of their creation (they are never looked at, and setting
   * them would cost every pod start a call per link).
   */
  public static List<Path> copyRootfs(Path src, Path dst) throws IOException {
    return copyRootfs(src, dst, Set.of());
  }

  /**
   * As {@link #copyRootfs(Path, Path)}, except that the regular files at {@code linked}
   * (relative to {@code src}) become hard links to the source's files instead of copies, where
   * both are on one filesystem (copies elsewhere). For large files that the copy only reads: the
   * caller must keep them from being written.
   */
  public static List<Path> copyRootfs(Path src, Path dst, Set<Path> linked) throws IOException {
    return new TreeCopy(src, true, false, linked).to(dst);
  }
}
