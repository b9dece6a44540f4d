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
    return new TreeCopy(src, true, false).to(dst);
  }
}
