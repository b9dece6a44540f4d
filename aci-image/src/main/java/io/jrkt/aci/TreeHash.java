package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The hash of a rendered tree (its {@code manifest} and {@code rootfs/}): SHA-512 over one record
 * per path in sorted order, holding the path, type, permission bits, owner, link target, and the
 * size and {@link ContentChecksum} of file content. Extraction computes it from what it wrote, without reading anything
 * back; {@link #compute} recomputes it from disk to detect a damaged tree.
 */
public final class TreeHash {
  public static final String PREFIX = "sha512-";
  private static final String VERSION = "jrkt-tree-hash 1\n";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TreeHash() {}

  /** The hash of a tree described by its nodes, as {@code sha512-} and 128 hex digits. */
  public static String of(SortedMap<String, TreeNode> nodes) {
    MessageDigest md = sha512();
    md.update(VERSION.getBytes(StandardCharsets.UTF_8));
    StringBuilder sb = new StringBuilder(256);
    for (Map.Entry<String, TreeNode> e : nodes.entrySet()) {
      TreeNode n = e.getValue();
      sb.setLength(0);
      String path = e.getKey();
      sb.append(path.length()).append(':').append(path).append(' ').append(n.type().code)
          .append(' ').append(Integer.toOctalString(n.mode())).append(' ')
          .append(Integer.toUnsignedString(n.uid())).append(' ')
          .append(Integer.toUnsignedString(n.gid()));
      if (n.type() == TreeNode.Type.FILE) {
        sb.append(' ');
        if (n.content() != null) {
          hex(sb, n.content());
        }
        sb.append(' ').append(n.size());
      } else if (n.type() == TreeNode.Type.SYMLINK) {
        sb.append(' ').append(n.linkTarget().length()).append(':').append(n.linkTarget());
      }
      sb.append('\n');
      md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder out = new StringBuilder(PREFIX);
    hex(out, md.digest());
    return out.toString();
  }

  /** Recomputes the hash of a tree directory from what is on disk. */
  public static String compute(Path treeDir) throws IOException {
    return of(scan(treeDir));
  }

  /** Reads the nodes of a tree directory: {@code manifest} and everything in {@code rootfs}. */
  public static SortedMap<String, TreeNode> scan(Path treeDir) throws IOException {
    TreeMap<String, TreeNode> nodes = new TreeMap<>();
    ContentChecksum checksum = new ContentChecksum();
    byte[] buf = new byte[128 * 1024];
    Path manifest = treeDir.resolve(ArchivePaths.MANIFEST);
    if (Files.exists(manifest, LinkOption.NOFOLLOW_LINKS)) {
      nodes.put(ArchivePaths.MANIFEST, node(manifest, checksum, buf));
    }
    Path rootfs = treeDir.resolve(ArchivePaths.ROOTFS);
    if (!Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS)) {
      return nodes;
    }
    Files.walkFileTree(rootfs, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        nodes.put(treeDir.relativize(dir).toString(), node(dir, checksum, buf));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        nodes.put(treeDir.relativize(file).toString(), node(file, checksum, buf));
        return FileVisitResult.CONTINUE;
      }
    });
    return nodes;
  }

  private static TreeNode node(Path p, ContentChecksum checksum, byte[] buf) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    switch (mode & 0170000) {
      case 0040000:
        return TreeNode.directory(mode, uid, gid);
      case 0120000:
        return TreeNode.symlink(uid, gid, Files.readSymbolicLink(p).toString());
      case 0100000: {
        checksum.reset();
        long size = 0;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            checksum.update(buf, 0, n);
            size += n;
          }
        }
        return TreeNode.file(mode, uid, gid, checksum.value(), size);
      }
      default:
        return new TreeNode(TreeNode.Type.OTHER, mode, uid, gid, null, null, 0);
    }
  }

  static void hex(StringBuilder sb, byte[] bytes) {
    for (byte b : bytes) {
      sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
  }

  static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-512", e);
    }
  }

}
