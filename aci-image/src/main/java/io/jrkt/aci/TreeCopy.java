package io.jrkt.aci;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One copy of a directory tree for {@link FileTrees}: types, permission bits including
 * setuid/setgid/sticky, numeric owners (as root), access and modification times, symbolic links
 * as links and hard links inside the tree as hard links. Symbolic links are never followed.
 *
 * <p>A pod start copies a root filesystem of hundreds of entries in a JVM that has just started,
 * so each entry costs as few file system calls as possible: one {@code lstat}, and an owner is
 * set only where it differs from the one a new entry gets anyway.
 */
final class TreeCopy {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final String ATTRIBUTES =
      "unix:mode,uid,gid,nlink,fileKey,lastModifiedTime,lastAccessTime";
  private static final int TYPE_MASK = 0170000;
  private static final int DIRECTORY = 0040000;
  private static final int REGULAR = 0100000;
  private static final int SYMLINK = 0120000;

  private final boolean skipSpecialFiles;
  private final boolean linkTimes;
  private final Path sourceRoot;
  /** Regular files (relative to the source root) linked to the source's, not copied. */
  private final Set<Path> linkedToSource;
  private final List<Path> skipped = new ArrayList<>();
  /** The first copy of each multiply-linked file, by the source's file key. */
  private final Map<Object, Path> linked = new HashMap<>();
  private Ownership created;

  /**
   * @param skipSpecialFiles whether device nodes, fifos and sockets (which Java cannot create)
   *     are left out and listed, or make the copy fail
   * @param linkTimes whether symbolic links get the source's times too
   */
  TreeCopy(Path sourceRoot, boolean skipSpecialFiles, boolean linkTimes) {
    this(sourceRoot, skipSpecialFiles, linkTimes, Set.of());
  }

  /** @param linkedToSource regular files (relative) hard-linked to the source's where possible */
  TreeCopy(Path sourceRoot, boolean skipSpecialFiles, boolean linkTimes,
      Set<Path> linkedToSource) {
    this.sourceRoot = sourceRoot;
    this.skipSpecialFiles = skipSpecialFiles;
    this.linkTimes = linkTimes;
    this.linkedToSource = Set.copyOf(linkedToSource);
  }

  /** Copies the tree to {@code target}, which must not exist; returns the skipped entries. */
  List<Path> to(Path target) throws IOException {
    Map<String, Object> a = Files.readAttributes(sourceRoot, ATTRIBUTES, NOFOLLOW);
    if (type(a) != DIRECTORY) {
      throw new IOException(sourceRoot + ": not a directory");
    }
    Files.createDirectory(target);
    // Everything below is created by us below this directory, so gets its owner and group.
    created = Ownership.probe(target);
    copyDirectory(sourceRoot, target, a);
    return List.copyOf(skipped);
  }

  private void copyDirectory(Path from, Path to, Map<String, Object> attrs) throws IOException {
    // Writable while we fill it; the real mode is set once its entries are in.
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
      for (Path entry : entries) {
        copyEntry(entry, to.resolve(entry.getFileName().toString()));
      }
    }
    setOwner(to, attrs);
    setMode(to, attrs);
    setTimes(to, attrs, false);
  }

  private void copyEntry(Path from, Path to) throws IOException {
    Map<String, Object> a = Files.readAttributes(from, ATTRIBUTES, NOFOLLOW);
    switch (type(a)) {
      case DIRECTORY:
        Files.createDirectory(to);
        copyDirectory(from, to, a);
        break;
      case SYMLINK:
        Files.createSymbolicLink(to, Files.readSymbolicLink(from));
        setOwner(to, a);
        if (linkTimes) {
          setTimes(to, a, true);
        }
        break;
      case REGULAR:
        copyFile(from, to, a);
        break;
      default:
        if (!skipSpecialFiles) {
          throw new IOException(from + ": cannot copy a special file");
        }
        skipped.add(sourceRoot.relativize(from));
    }
  }

  private void copyFile(Path from, Path to, Map<String, Object> a) throws IOException {
    if (!linkedToSource.isEmpty() && linkedToSource.contains(sourceRoot.relativize(from))) {
      try {
        Files.createLink(to, from);
        return;
      } catch (java.nio.file.FileSystemException e) {
        // Another filesystem (EXDEV) or no links there: copied below.
      }
    }
    if ((Integer) a.get("nlink") > 1) {
      Path first = linked.putIfAbsent(a.get("fileKey"), to);
      if (first != null) {
        Files.createLink(to, first);
        return;
      }
    }
    Files.copy(from, to, NOFOLLOW);
    // Owner before mode: a change of owner clears the setuid and setgid bits.
    setOwner(to, a);
    setMode(to, a);
    setTimes(to, a, false);
  }

  private void setOwner(Path to, Map<String, Object> a) throws IOException {
    if (!created.apply()) {
      return; // without root, everything belongs to the creator
    }
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    if (uid != created.createdUid()) {
      Files.setAttribute(to, "unix:uid", uid, NOFOLLOW);
    }
    if (gid != created.createdGid()) {
      Files.setAttribute(to, "unix:gid", gid, NOFOLLOW);
    }
  }

  /** Sets the permission bits of a file or directory (never called on a link). */
  private static void setMode(Path to, Map<String, Object> a) throws IOException {
    Files.setAttribute(to, "unix:mode", (Integer) a.get("mode") & 07777);
  }

  private static void setTimes(Path to, Map<String, Object> a, boolean link) throws IOException {
    FileTime modified = (FileTime) a.get("lastModifiedTime");
    FileTime accessed = (FileTime) a.get("lastAccessTime");
    if (!link) {
      Files.getFileAttributeView(to, BasicFileAttributeView.class)
          .setTimes(modified, accessed, null);
      return;
    }
    try {
      Files.getFileAttributeView(to, BasicFileAttributeView.class, NOFOLLOW)
          .setTimes(modified, accessed, null);
    } catch (IOException | UnsupportedOperationException ignored) {
      // A link's own times are cosmetic.
    }
  }

  private static int type(Map<String, Object> a) {
    return (Integer) a.get("mode") & TYPE_MASK;
  }
}
