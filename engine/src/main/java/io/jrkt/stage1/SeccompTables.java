package io.jrkt.stage1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data a seccomp isolator is checked and expanded against, read from the engine's resources:
 * the x86_64 syscall names stage1-coreos can filter ({@code seccomp-syscalls.txt}), the wildcard
 * groups such as {@code @rkt/default-whitelist} ({@code seccomp-groups.txt}) and the errno names
 * ({@code seccomp-errno.txt}). Loaded once, on first use: only a flavor that enforces seccomp
 * pays for it.
 */
final class SeccompTables {
  private static final class Loaded {
    static final SeccompTables INSTANCE = load();
  }

  private final Set<String> syscalls;
  private final Map<String, List<String>> groups;
  private final Map<String, Integer> errnos;

  private SeccompTables(Set<String> syscalls, Map<String, List<String>> groups,
      Map<String, Integer> errnos) {
    this.syscalls = syscalls;
    this.groups = groups;
    this.errnos = errnos;
  }

  static SeccompTables get() {
    return Loaded.INSTANCE;
  }

  boolean isSyscall(String name) {
    return syscalls.contains(name);
  }

  /** The members of a group named with its {@code @}, or empty when there is no such group. */
  Optional<List<String>> group(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  Optional<Integer> errno(String name) {
    return Optional.ofNullable(errnos.get(name));
  }

  private static SeccompTables load() {
    Set<String> syscalls = new LinkedHashSet<>(lines("seccomp-syscalls.txt"));
    Map<String, List<String>> groups = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : lines("seccomp-groups.txt")) {
      if (line.startsWith("@")) {
        current = new ArrayList<>();
        groups.put(line, current);
      } else if (current == null || !syscalls.contains(line)) {
        throw new IllegalStateException("seccomp-groups.txt: \"" + line
            + "\" is not a syscall in a group");
      } else {
        current.add(line);
      }
    }
    groups.replaceAll((name, members) -> List.copyOf(members));
    Map<String, Integer> errnos = new HashMap<>();
    for (String line : lines("seccomp-errno.txt")) {
      String[] nameNumber = line.split(" ");
      errnos.put(nameNumber[0], Integer.parseInt(nameNumber[1]));
    }
    return new SeccompTables(Set.copyOf(syscalls), Map.copyOf(groups), Map.copyOf(errnos));
  }

  /** The resource's lines without blank lines and # comments. */
  private static List<String> lines(String resource) {
    List<String> out = new ArrayList<>();
    try (InputStream in = SeccompTables.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the engine");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          out.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read resource " + resource, e);
    }
    return out;
  }
}
