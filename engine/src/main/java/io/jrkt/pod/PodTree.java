package io.jrkt.pod;

import io.jrkt.sys.Native;
import io.jrkt.sys.NativeException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Removal of a pod directory: unmount what is still mounted below it, then delete the tree.
 *
 * <p>Deletion must never leave the pod directory. It refuses any path that is not exactly
 * {@code <pods dir>/<state dir>/<uuid>}; it walks with directory fds (openat, O_NOFOLLOW), so a
 * symlink inside an app's rootfs is removed as a link and never followed, even if an entry is
 * swapped while we walk; and it stops at any directory on another device or still mounted.
 */
final class PodTree {
  private static final int EINVAL = 22;
  private static final int ENOENT = 2;

  private PodTree() {}

  /**
   * Unmounts everything at or below {@code podDir} and deletes it.
   *
   * @throws PodException when the path is not a pod directory under {@code podsDir}, when a mount
   *     cannot be removed, or when deletion fails; nothing outside the pod dir is touched
   */
  static void remove(Path podsDir, Path podDir) throws PodException {
    Path real = checkedPodDir(podsDir, podDir);
    if (real == null) {
      return; // already gone
    }
    unmountAll(real);
    deleteTree(real);
  }

  /**
   * The symlink-free absolute path of {@code podDir} after checking that it is a pod directory
   * under {@code podsDir}; null if it no longer exists.
   */
  static Path checkedPodDir(Path podsDir, Path podDir) throws PodException {
    Path pods = podsDir.toAbsolutePath().normalize();
    Path dir = podDir.toAbsolutePath().normalize();
    Path stateDir = dir.getParent();
    if (pods.getNameCount() == 0 || stateDir == null || !pods.equals(stateDir.getParent())
        || !isStateDirName(stateDir.getFileName().toString())
        || !PodUuid.isCanonical(dir.getFileName().toString())) {
      throw new PodException("refusing to delete " + podDir + ": not a pod directory under "
          + podsDir);
    }
    try {
      Path realState = stateDir.toRealPath();
      Path realPods = pods.toRealPath();
      if (realPods.getNameCount() == 0 || !realPods.equals(realState.getParent())) {
        throw new PodException("refusing to delete " + podDir + ": " + stateDir
            + " resolves outside " + podsDir);
      }
      Path real = realState.resolve(dir.getFileName());
      BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      if (!a.isDirectory()) {
        throw new PodException("refusing to delete " + podDir + ": not a directory");
      }
      return real;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new PodException("cannot inspect " + podDir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isStateDirName(String name) {
    for (StateDir d : StateDir.values()) {
      if (d.dirName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Lazily unmounts every mount at or below {@code dir}, deepest (latest) first, then checks. */
  static void unmountAll(Path dir) throws PodException {
    List<String> mounts = MountTable.read().under(dir);
    if (mounts.isEmpty()) {
      return;
    }
    Native.load();
    for (String m : mounts) {
      try {
        Native.umount(m, Native.MNT_DETACH);
      } catch (NativeException e) {
        // EINVAL: no longer a mount point (a parent's detach took it along); ENOENT: gone.
        if (e.errno() != EINVAL && e.errno() != ENOENT) {
          throw new PodException("cannot unmount " + m + ": " + e.getMessage(), e);
        }
      }
    }
    List<String> left = MountTable.read().under(dir);
    if (!left.isEmpty()) {
      throw new PodException("refusing to delete " + dir + ": still mounted at " + left.get(0));
    }
  }

  /** Deletes {@code dir} and everything in it, staying on its device and not following links. */
  static void deleteTree(Path dir) throws PodException {
    Object device = device(dir);
    List<String> left = MountTable.read().under(dir);
    if (!left.isEmpty()) {
      throw new PodException("refusing to delete " + dir + ": still mounted at " + left.get(0));
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      if (!(ds instanceof SecureDirectoryStream)) {
        throw new PodException("cannot delete " + dir + " safely: the file system offers no "
            + "fd-relative directory access");
      }
      deleteContents((SecureDirectoryStream<Path>) ds, dir, device);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new PodException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new PodException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteContents(SecureDirectoryStream<Path> dir, Path where, Object device)
      throws PodException, IOException {
    List<Path> names = new ArrayList<>();
    for (Path p : dir) {
      names.add(p.getFileName());
    }
    for (Path name : names) {
      Path abs = where.resolve(name);
      BasicFileAttributes a;
      try {
        a = dir.getFileAttributeView(name, BasicFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS).readAttributes();
      } catch (NoSuchFileException e) {
        continue;
      }
      if (a.isDirectory()) {
        if (!device.equals(device(abs))) {
          throw new PodException("refusing to delete " + abs + ": on another file system "
              + "(a mount point)");
        }
        try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name,
            LinkOption.NOFOLLOW_LINKS)) {
          deleteContents(child, abs, device);
        } catch (NoSuchFileException e) {
          continue;
        }
        try {
          dir.deleteDirectory(name);
        } catch (NoSuchFileException e) {
          // Removed meanwhile: fine.
        } catch (IOException e) {
          throw new PodException("cannot delete " + abs + ": " + e.getMessage(), e);
        }
      } else {
        try {
          dir.deleteFile(name);
        } catch (NoSuchFileException e) {
          // Removed meanwhile: fine.
        } catch (IOException e) {
          throw new PodException("cannot delete " + abs + ": " + e.getMessage(), e);
        }
      }
    }
  }

  private static Object device(Path p) throws PodException {
    try {
      return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new PodNotFoundException(p + " vanished while deleting it");
    } catch (IOException e) {
      throw new PodException("cannot inspect " + p + ": " + e.getMessage(), e);
    }
  }
}
