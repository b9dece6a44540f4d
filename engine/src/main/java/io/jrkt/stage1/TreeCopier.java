package io.jrkt.stage1;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a rendered image tree into a pod, keeping what a root filesystem needs: file modes
 * including setuid/setgid/sticky bits, owners (when running as root), symlinks as symlinks,
 * hard links as hard links, modification times. Device nodes, fifos and sockets cannot be made
 * from Java; they are skipped and listed in {@link #skipped()}.
 */
public final class TreeCopier {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final List<Path> skipped = new ArrayList<>();

  /** Copies the tree at {@code source} to {@code target}, which must not exist yet. */
  public static TreeCopier copy(Path source, Path target) throws IOException {
    TreeCopier c = new TreeCopier();
    c.run(source, target);
    return c;
  }

  /** Entries that were not copied (special files), relative to the source. */
  public List<Path> skipped() {
    return List.copyOf(skipped);
  }

  private void run(Path source, Path target) throws IOException {
    Map<Object, Path> linked = new HashMap<>();
    Deque<Map<String, Object>> dirAttrs = new ArrayDeque<>();
    Files.walkFileTree(source, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Path to = target.resolve(source.relativize(dir).toString());
        // Writable while we fill it; the real mode is set once its entries are in.
        Files.createDirectory(to);
        dirAttrs.push(Files.readAttributes(dir, "unix:mode,uid,gid", NOFOLLOW));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure)
          throws IOException {
        if (failure != null) {
          throw failure;
        }
        Path to = target.resolve(source.relativize(dir).toString());
        Map<String, Object> a = dirAttrs.pop();
        setOwner(to, (Integer) a.get("uid"), (Integer) a.get("gid"));
        Files.setAttribute(to, "unix:mode", a.get("mode"), NOFOLLOW);
        Files.setLastModifiedTime(to, Files.getLastModifiedTime(dir, NOFOLLOW));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path rel = source.relativize(file);
        Path to = target.resolve(rel.toString());
        if (attrs.isSymbolicLink()) {
          Files.createSymbolicLink(to, Files.readSymbolicLink(file));
          setOwnerNoFollow(file, to);
        } else if (attrs.isRegularFile()) {
          Object key = attrs.fileKey();
          Path first = key == null ? null : linked.putIfAbsent(key, to);
          if (first != null) {
            Files.createLink(to, first);
          } else {
            // COPY_ATTRIBUTES: mode (with setuid bits), owner when permitted, times.
            Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
          }
        } else {
          skipped.add(rel);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void setOwner(Path to, int uid, int gid) throws IOException {
    try {
      Files.setAttribute(to, "unix:uid", uid, NOFOLLOW);
      Files.setAttribute(to, "unix:gid", gid, NOFOLLOW);
    } catch (java.nio.file.FileSystemException e) {
      // Not root (tests): the copy keeps our own ids, as cp -p does.
      if (!isPermissionProblem(e)) {
        throw e;
      }
    }
  }

  private static void setOwnerNoFollow(Path from, Path to) throws IOException {
    Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid", NOFOLLOW);
    setOwner(to, (Integer) a.get("uid"), (Integer) a.get("gid"));
  }

  private static boolean isPermissionProblem(java.nio.file.FileSystemException e) {
    return e instanceof java.nio.file.AccessDeniedException
        || String.valueOf(e.getReason()).contains("not permitted");
  }

  /** Adds {@code etc/mtab -> ../proc/self/mounts} when the tree has /etc but no mtab. */
  public static boolean addMtabLink(Path rootfs) throws IOException {
    Path etc = rootfs.resolve("etc");
    Path mtab = etc.resolve("mtab");
    if (Files.isDirectory(etc, NOFOLLOW) && !Files.exists(mtab, NOFOLLOW)) {
      Files.createSymbolicLink(mtab, Path.of("../proc/self/mounts"));
      return true;
    }
    return false;
  }
}
