package io.jrkt.stage1;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The data a seccomp isolator is checked and expanded against ({@link SeccompData}): the x86_64
 * syscall names stage1-coreos can filter, the wildcard groups such as
 * {@code @rkt/default-whitelist} and the errno names. The set of names is built once, on first
 * use (only a flavor that enforces seccomp pays for it); a group or an errno is looked up in the
 * text when asked for, since a pod needs one or two of them.
 */
final class SeccompTables {
  private static final class Loaded {
    static final SeccompTables INSTANCE =
        new SeccompTables(Collections.unmodifiableSet(new HashSet<>(lines(SeccompData.SYSCALLS))));
  }

  private final Set<String> syscalls;

  private SeccompTables(Set<String> syscalls) {
    this.syscalls = syscalls;
  }

  static SeccompTables get() {
    return Loaded.INSTANCE;
  }

  boolean isSyscall(String name) {
    return syscalls.contains(name);
  }

  /** The members of a group named with its {@code @}, or empty when there is no such group. */
  Optional<List<String>> group(String name) {
    if (!name.startsWith("@") || name.indexOf('\n') >= 0) {
      return Optional.empty();
    }
    int header = lineStart(SeccompData.GROUPS, name);
    if (header < 0) {
      return Optional.empty();
    }
    int from = header + name.length() + 1;
    int next = SeccompData.GROUPS.indexOf("\n@", from - 1);
    String members = SeccompData.GROUPS.substring(Math.min(from, SeccompData.GROUPS.length()),
        next < 0 ? SeccompData.GROUPS.length() : next + 1);
    return Optional.of(Collections.unmodifiableList(lines(members)));
  }

  Optional<Integer> errno(String name) {
    if (name.isEmpty() || name.indexOf('\n') >= 0 || name.indexOf(' ') >= 0) {
      return Optional.empty();
    }
    int at = lineStart(SeccompData.ERRNOS, name + " ");
    if (at < 0) {
      return Optional.empty();
    }
    int from = at + name.length() + 1;
    int end = SeccompData.ERRNOS.indexOf('\n', from);
    return Optional.of(Integer.parseInt(
        SeccompData.ERRNOS.substring(from, end < 0 ? SeccompData.ERRNOS.length() : end)));
  }

  /** The names of every group, in their order in the table. */
  static List<String> groupNames() {
    List<String> names = new ArrayList<>();
    for (String line : lines(SeccompData.GROUPS)) {
      if (line.startsWith("@")) {
        names.add(line);
      }
    }
    return names;
  }

  /**
   * Where the line of {@code text} that starts with {@code prefix} begins, or -1. A prefix not
   * ending in a space must be the whole line.
   */
  private static int lineStart(String text, String prefix) {
    boolean wholeLine = !prefix.endsWith(" ");
    for (int at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
      boolean startsLine = at == 0 || text.charAt(at - 1) == '\n';
      int after = at + prefix.length();
      boolean endsLine = !wholeLine || after == text.length() || text.charAt(after) == '\n';
      if (startsLine && endsLine) {
        return at;
      }
    }
    return -1;
  }

  /** The text's non-empty lines. Plain indexOf: this runs once per command, uncompiled. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>(512);
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      if (end > start) {
        out.add(text.substring(start, end));
      }
      start = end + 1;
    }
    return out;
  }
}
