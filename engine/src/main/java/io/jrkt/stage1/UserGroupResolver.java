package io.jrkt.stage1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns an app's {@code user} and {@code group} into numeric ids the way appc defines them: a
 * number is used as is; an absolute path means the owner (uid or gid) of that file in the app's
 * rootfs; anything else is a name looked up in the rootfs's {@code /etc/passwd} or
 * {@code /etc/group}. {@code root} resolves to 0 even without those files.
 */
public final class UserGroupResolver {
  private final Path rootfs;

  /** @param rootfs the app's root filesystem on the host */
  public UserGroupResolver(Path rootfs) {
    this.rootfs = rootfs;
  }

  public int uid(String user) throws UserGroupException {
    return resolve(user, "user", "/etc/passwd", "unix:uid");
  }

  public int gid(String group) throws UserGroupException {
    return resolve(group, "group", "/etc/group", "unix:gid");
  }

  private int resolve(String value, String what, String dbFile, String ownerAttr)
      throws UserGroupException {
    if (value == null || value.isEmpty()) {
      throw new UserGroupException(what + " is empty; the image or --" + what + " must name one");
    }
    if (isNumber(value)) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new UserGroupException(what + " \"" + value + "\" is out of range");
      }
    }
    if (value.startsWith("/")) {
      try {
        Path file = RootfsPaths.resolve(rootfs, value, false);
        return (Integer) Files.getAttribute(file, ownerAttr, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw new UserGroupException(what + " \"" + value
            + "\": no such file in the app's root filesystem (a path " + what
            + " means the owner of that file)");
      } catch (IOException e) {
        throw new UserGroupException(what + " \"" + value + "\": cannot stat it in the app's "
            + "root filesystem: " + e.getMessage());
      }
    }
    Integer id = lookup(value, dbFile, what);
    if (id != null) {
      return id;
    }
    if (value.equals("root")) {
      return 0;
    }
    throw new UserGroupException(what + " \"" + value + "\" not found in the image's " + dbFile);
  }

  /** The id (third field) of {@code name} in a passwd- or group-format file; null if absent. */
  private Integer lookup(String name, String dbFile, String what) throws UserGroupException {
    String content;
    try {
      Path db = RootfsPaths.resolve(rootfs, dbFile, true);
      if (!Files.isRegularFile(db, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      content = new String(Files.readAllBytes(db), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserGroupException("cannot read the image's " + dbFile + " to look up " + what
          + " \"" + name + "\": " + e.getMessage());
    }
    for (String line : content.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && f[0].equals(name)) {
        if (!isNumber(f[2])) {
          throw new UserGroupException("the image's " + dbFile + " has a bad id \"" + f[2]
              + "\" for " + what + " \"" + name + "\"");
        }
        try {
          return Integer.parseInt(f[2]);
        } catch (NumberFormatException e) {
          throw new UserGroupException("the image's " + dbFile + " has an out-of-range id \""
              + f[2] + "\" for " + what + " \"" + name + "\"");
        }
      }
    }
    return null;
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
