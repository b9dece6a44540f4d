package io.jrkt.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The command {@code enter} runs when given none: rkt's {@code /bin/bash}, or {@code /bin/sh}
 * when the app's root has no bash (busybox and distroless-style images), instead of failing.
 * Paths are resolved inside the app's root: symlinks, absolute ones included, never leave it.
 */
final class EnterShell {
  static final List<String> BASH = List.of("/bin/bash");
  static final List<String> SH = List.of("/bin/sh");
  private static final int MAX_LINKS = 40;

  private EnterShell() {
  }

  /** {@link #BASH} when {@code appRoot} has an executable /bin/bash, else {@link #SH}. */
  static List<String> forAppRoot(Path appRoot) {
    Path bash = resolveInRoot(appRoot, "/bin/bash");
    return bash != null && Files.isRegularFile(bash, LinkOption.NOFOLLOW_LINKS)
        && Files.isExecutable(bash) ? BASH : SH;
  }

  /** {@code path} resolved as if {@code root} were /; null when a component is missing. */
  static Path resolveInRoot(Path root, String path) {
    Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
    Path at = root;
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        at = at.equals(root) ? root : at.getParent();
        continue;
      }
      Path next = at.resolve(name);
      if (Files.isSymbolicLink(next)) {
        if (++links > MAX_LINKS) {
          return null;
        }
        String target;
        try {
          target = Files.readSymbolicLink(next).toString();
        } catch (IOException e) {
          return null;
        }
        if (target.startsWith("/")) {
          at = root;
        }
        List<String> parts = List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      at = next;
    }
    return at;
  }
}
