package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a rendered tree ({@code manifest} and {@code rootfs/}) as an uncompressed ACI: entries
 * sorted by name, modes, owners and mtimes kept, hard links written as links to the first path of
 * their inode. Symbolic links are stored, never followed.
 */
public final class AciWriter {
  private AciWriter() {}

  public static void write(Path treeDir, OutputStream out) throws IOException {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      Map<Object, String> inodes = new HashMap<>();
      add(tar, treeDir.resolve(ArchivePaths.MANIFEST), ArchivePaths.MANIFEST, inodes);
      walk(tar, treeDir.resolve(ArchivePaths.ROOTFS), ArchivePaths.ROOTFS, inodes);
      tar.finish();
    }
  }

  private static void walk(TarArchiveOutputStream tar, Path dir, String name,
      Map<Object, String> inodes) throws IOException {
    add(tar, dir, name, inodes);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    }
    children.sort(null);
    for (Path c : children) {
      walk(tar, c, name + "/" + c.getFileName(), inodes);
    }
  }

  private static void add(TarArchiveOutputStream tar, Path p, String name,
      Map<Object, String> inodes) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,"
        + "isDirectory,isSymbolicLink,isRegularFile,size,ino,dev,nlink", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode") & 07777;
    TarArchiveEntry e;
    boolean data = false;
    if ((Boolean) a.get("isSymbolicLink")) {
      e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(Files.readSymbolicLink(p).toString());
    } else if ((Boolean) a.get("isDirectory")) {
      e = new TarArchiveEntry(name + "/");
    } else if ((Boolean) a.get("isRegularFile")) {
      String key = a.get("dev") + ":" + a.get("ino");
      String first = (Integer) a.get("nlink") > 1 ? inodes.putIfAbsent(key, name) : null;
      if (first != null) {
        e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
        e.setLinkName(first);
      } else {
        e = new TarArchiveEntry(name);
        e.setSize((Long) a.get("size"));
        data = true;
      }
    } else {
      return;
    }
    e.setMode(mode);
    e.setUserId((Integer) a.get("uid"));
    e.setGroupId((Integer) a.get("gid"));
    e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis());
    tar.putArchiveEntry(e);
    if (data) {
      try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
  }
}
