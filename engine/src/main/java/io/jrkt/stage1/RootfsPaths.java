package io.jrkt.stage1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Path lookups inside an app's root filesystem as the app would see them: symlinks are resolved
 * with the rootfs as {@code /}, so that neither an absolute nor a {@code ..} link leads out of it.
 */
final class RootfsPaths {
  private static final int MAX_LINKS = 40;

  private RootfsPaths() {}

  /**
   * The host path of {@code path} (absolute, inside the app) under {@code root}, with symlinks
   * of every component resolved inside the root; the last component is resolved only when
   * {@code followLast}. Missing components are kept as they are.
   */
  static Path resolve(Path root, String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, path);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      Path here = join(root, done).resolve(part);
      boolean last = todo.isEmpty();
      if ((!last || followLast) && Files.isSymbolicLink(here)) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many levels of symbolic links resolving " + path);
        }
        String target = Files.readSymbolicLink(here).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      done.addLast(part);
    }
    return join(root, done);
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  static boolean exists(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
