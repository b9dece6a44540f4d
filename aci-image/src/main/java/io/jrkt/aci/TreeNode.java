package io.jrkt.aci;

import java.util.Objects;

/**
 * What one path of a rendered tree is: its type, permission bits (07777), owner, and for a
 * symbolic link its target, for a regular file its size and content checksum. The tree hash is made
 * of these; mtimes are preserved on disk but not hashed.
 */
public record TreeNode(Type type, int mode, int uid, int gid, String linkTarget, byte[] content,
    long size) {

  /** The file types a tree may hold; OTHER is only ever seen when verifying a damaged tree. */
  public enum Type {
    DIRECTORY('d'), FILE('f'), SYMLINK('l'), OTHER('?');

    final char code;

    Type(char code) {
      this.code = code;
    }
  }

  public TreeNode {
    Objects.requireNonNull(type, "type");
    mode &= 07777;
  }

  static TreeNode directory(int mode, int uid, int gid) {
    return new TreeNode(Type.DIRECTORY, mode, uid, gid, null, null, 0);
  }

  static TreeNode file(int mode, int uid, int gid, byte[] checksum, long size) {
    return new TreeNode(Type.FILE, mode, uid, gid, null, checksum, size);
  }

  static TreeNode symlink(int uid, int gid, String target) {
    return new TreeNode(Type.SYMLINK, 0777, uid, gid, target, null, 0);
  }

  boolean isDirectory() {
    return type == Type.DIRECTORY;
  }
}
