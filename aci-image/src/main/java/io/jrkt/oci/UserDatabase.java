package io.jrkt.oci;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The image's {@code /etc/passwd} and {@code /etc/group}, read to turn the config's user and
 * group names into numbers at fetch time (the names mean nothing outside the image).
 */
public final class UserDatabase {
  private final Map<String, long[]> users = new HashMap<>();
  private final Map<String, Long> groups = new HashMap<>();

  private UserDatabase() {}

  public static final UserDatabase EMPTY = new UserDatabase();

  /** Either may be null (file absent). */
  public static UserDatabase of(byte[] passwd, byte[] group) {
    UserDatabase db = new UserDatabase();
    if (passwd != null) {
      for (String line : new String(passwd, StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split(":", -1);
        if (f.length >= 4) {
          Long uid = number(f[2]);
          Long gid = number(f[3]);
          if (uid != null && gid != null) {
            db.users.putIfAbsent(f[0], new long[] {uid, gid});
          }
        }
      }
    }
    if (group != null) {
      for (String line : new String(group, StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split(":", -1);
        if (f.length >= 3) {
          Long gid = number(f[2]);
          if (gid != null) {
            db.groups.putIfAbsent(f[0], gid);
          }
        }
      }
    }
    return db;
  }

  static Long number(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    long v = Long.parseLong(s);
    return v <= 0xffffffffL ? v : null;
  }

  /** {uid, primary gid} of a user name, or null. */
  long[] user(String name) {
    return users.get(name);
  }

  /** {uid, gid} for a uid that has a passwd entry, or null. */
  long[] userById(long uid) {
    for (long[] u : users.values()) {
      if (u[0] == uid) {
        return u;
      }
    }
    return null;
  }

  Long group(String name) {
    return groups.get(name);
  }
}
