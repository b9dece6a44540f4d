package io.jrkt.aci;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

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
   * Copies a tree to {@code dst} (which must not exist) keeping types, modes (including
   * setuid/setgid/sticky), owners where permitted, mtimes, symbolic links as links, and hard links
   * inside the tree as hard links.
   */
  public static void copyTree(Path src, Path dst) throws IOException {
    boolean root = Ownership.probe(dst.getParent()).apply();
    Map<Object, Path> inodes = new HashMap<>();
    Deque<Path[]> dirs = new ArrayDeque<>();
    Files.walkFileTree(src, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Path target = dst.resolve(src.relativize(dir).toString());
        Files.createDirectory(target);
        dirs.push(new Path[] {dir, target});
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path target = dst.resolve(src.relativize(file).toString());
        if (attrs.isRegularFile()) {
          int links = (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
          Path first = links > 1 ? inodes.putIfAbsent(attrs.fileKey(), target) : null;
          if (first != null) {
            Files.createLink(target, first);
            return FileVisitResult.CONTINUE;
          }
          Files.copy(file, target, LinkOption.NOFOLLOW_LINKS);
          copyOwnerAndMode(file, target, root, false);
          Files.setLastModifiedTime(target, attrs.lastModifiedTime());
        } else if (attrs.isSymbolicLink()) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(file));
          copyOwnerAndMode(file, target, root, true);
          setLinkTime(target, attrs.lastModifiedTime());
        } else {
          throw new IOException(file + ": cannot copy a special file");
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Path[] pair = dirs.pop();
        copyOwnerAndMode(pair[0], pair[1], root, false);
        Files.setLastModifiedTime(pair[1], Files.getLastModifiedTime(pair[0],
            LinkOption.NOFOLLOW_LINKS));
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void copyOwnerAndMode(Path from, Path to, boolean root, boolean link)
      throws IOException {
    Map<String, Object> a = Files.readAttributes(from, "unix:mode,uid,gid",
        LinkOption.NOFOLLOW_LINKS);
    if (root) {
      Files.setAttribute(to, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(to, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
    }
    if (!link) {
      Files.setAttribute(to, "unix:mode", ((Integer) a.get("mode")) & 07777);
    }
  }

  private static void setLinkTime(Path link, FileTime t) {
    try {
      Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(t, null, null);
    } catch (IOException | UnsupportedOperationException ignored) {
      // A link's own mtime is cosmetic.
    }
  }
}
