package io.jrkt.stage1;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodOverlay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Directories stage0 writes into an overlay's upper layer before it is mounted. A directory made
 * in the upper layer hides the lower one's owner and mode in the merged view, so each one that
 * also exists in the lower layer is made the way overlayfs' copy-up would: same mode, owner and
 * mtime. A lower entry that is not a directory (a symlink, say) is refused: writing through it
 * would change what the image shows.
 */
public final class UpperDirs {
  private UpperDirs() {}

  /** Makes {@code rel} (relative, "/"-separated) below {@code upper}; returns it. */
  static Path mkdirs(Path upper, Path lower, String rel) throws IOException {
    Path u = upper;
    Path l = lower;
    for (String name : rel.split("/")) {
      if (name.isEmpty()) {
        continue;
      }
      u = u.resolve(name);
      l = l == null ? null : l.resolve(name);
      if (Files.isDirectory(u, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      PosixFileAttributes below = null;
      if (l != null && Files.exists(l, LinkOption.NOFOLLOW_LINKS)) {
        below = Files.readAttributes(l, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!below.isDirectory()) {
          throw new IOException(l + " is not a directory; cannot write below it");
        }
      } else {
        l = null;
      }
      Files.createDirectory(u);
      if (below != null) {
        copyAttributes(l, u);
      } else {
        Files.setAttribute(u, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
      }
    }
    return u;
  }

  /** Gives directory {@code to} the owner, mode and mtime of {@code from}, as copy-up does. */
  static void copyAttributes(Path from, Path to) throws IOException {
    PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class,
        LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid",
        LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid",
        LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(to, "unix:mode", Files.getAttribute(from, "unix:mode",
        LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
    Files.setLastModifiedTime(to, a.lastModifiedTime());
  }

  /**
   * The directory {@code rel} of a pod's stage1 root for stage0 to write into, created if
   * needed: below {@code stage1/rootfs}, or for an overlay pod in the stage1's upper layer.
   */
  public static Path stage1Dir(Path podDir, String rel) throws IOException {
    if (!PodOverlay.isOverlay(podDir)) {
      return Files.createDirectories(podDir.resolve("stage1/rootfs").resolve(rel));
    }
    try {
      String id = PodOverlay.stage1TreeId(podDir);
      return mkdirs(podDir.resolve(PodOverlay.upper(id, "")), PodOverlay.stage1View(podDir), rel);
    } catch (PodException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * A file of the pod's stage1 root as the stage1 will see it, for reading: the upper layer's
   * when there is one, else the lower's.
   */
  static Path stage1File(Path podDir, String rel) throws IOException {
    if (!PodOverlay.isOverlay(podDir)) {
      return podDir.resolve("stage1/rootfs").resolve(rel);
    }
    try {
      Path upper = podDir.resolve(PodOverlay.upper(PodOverlay.stage1TreeId(podDir), ""))
          .resolve(rel);
      return Files.exists(upper, LinkOption.NOFOLLOW_LINKS) ? upper
          : PodOverlay.stage1View(podDir).resolve(rel);
    } catch (PodException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
