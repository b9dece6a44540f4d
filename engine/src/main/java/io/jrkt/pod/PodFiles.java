package io.jrkt.pod;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** File-system steps of the pod lifecycle: state directories, durable renames. */
final class PodFiles {
  /** rwxr-s---: group {@code rkt} members may read pod state without root, as with rkt. */
  static final int DIR_MODE = 02750;
  private static final String RKT_GROUP = "rkt";

  private PodFiles() {}

  /** Creates {@code dir} (mode 0750 + setgid, group rkt when that group exists) if missing. */
  static void ensureDir(Path dir) throws PodException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir);
      setModeAndGroup(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new PodException("cannot create " + dir + ": exists and is not a directory");
      }
    } catch (IOException e) {
      throw new PodException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates a new pod directory; fails if it exists. Its mode and group are set by
   * {@link #finishPodDir} once the creator holds its lock: until then a gc may take it.
   */
  static void createPodDir(Path dir) throws PodException {
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new PodException("cannot create pod directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Gives a locked new pod directory its mode (0750 + setgid) and group (rkt, if it exists). */
  static void finishPodDir(Path dir) throws PodException {
    try {
      setModeAndGroup(dir);
    } catch (IOException e) {
      throw new PodException("cannot set the mode of pod directory " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static void setModeAndGroup(Path dir) throws IOException {
    Integer gid = rktGroupId();
    if (gid != null) {
      Files.setAttribute(dir, "unix:gid", gid);
    }
    Files.setAttribute(dir, "unix:mode", DIR_MODE);
  }

  /** The gid of group {@code rkt} from /etc/group, or null. */
  private static Integer rktGroupId() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/group"))) {
        String[] f = line.split(":", -1);
        if (f.length >= 3 && f[0].equals(RKT_GROUP)) {
          return Integer.valueOf(f[2]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // No readable group file or a malformed entry: the pod dirs just keep root's group.
    }
    return null;
  }

  /**
   * Atomically moves a pod directory between state directories and makes the move durable
   * (fsync of both parents), so that a crash leaves the pod in exactly one place.
   */
  static void movePod(Path from, Path to) throws PodException {
    ensureDir(to.getParent());
    try {
      if (Files.exists(to, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.exists(from, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          // A concurrent process (holding a shared lock, as we do) moved it first.
          throw new PodNotFoundException("pod directory " + from + " was moved to " + to
              + " by another process");
        }
        throw new PodException("cannot move pod " + from + " to " + to + ": target exists");
      }
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      throw new PodNotFoundException("pod directory " + from + " vanished while moving it to "
          + to.getParent().getFileName() + "/");
    } catch (AtomicMoveNotSupportedException e) {
      throw new PodException("cannot move pod " + from + " to " + to
          + ": not on the same file system", e);
    } catch (IOException e) {
      throw new PodException("cannot move pod " + from + " to " + to + ": " + e.getMessage(), e);
    }
    syncDirs(List.of(from.getParent(), to.getParent()));
  }

  static void syncDirs(List<Path> dirs) throws PodException {
    for (Path d : dirs) {
      try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
        ch.force(true);
      } catch (IOException e) {
        throw new PodException("cannot sync directory " + d + ": " + e.getMessage(), e);
      }
    }
  }
}
