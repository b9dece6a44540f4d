package io.jrkt.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Reads process relationships from /proc (for pods whose stage1 wrote {@code ppid}). */
final class ProcessTable {
  private static final Path PROC = Path.of("/proc");

  private ProcessTable() {}

  /** The only child of {@code ppid}; empty if it has none or several. */
  static OptionalInt singleChild(int ppid) {
    List<Integer> children = children(ppid);
    return children.size() == 1 ? OptionalInt.of(children.get(0)) : OptionalInt.empty();
  }

  static List<Integer> children(int ppid) {
    List<Integer> kids = new ArrayList<>();
    // /proc/<pid>/task/<tid>/children lists the children of each thread; scan /proc otherwise.
    Path taskDir = PROC.resolve(Integer.toString(ppid)).resolve("task");
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
      for (Path t : tasks) {
        String s = Files.readString(t.resolve("children"), StandardCharsets.US_ASCII).trim();
        for (String c : s.isEmpty() ? new String[0] : s.split("\\s+")) {
          kids.add(Integer.valueOf(c));
        }
      }
      return kids;
    } catch (IOException | NumberFormatException e) {
      kids.clear();
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit) && parentOf(p) == ppid) {
          kids.add(Integer.valueOf(name));
        }
      }
    } catch (IOException e) {
      // /proc unreadable: no children known.
    }
    return kids;
  }

  /** The ppid field of /proc/<pid>/stat, after the parenthesised command name; -1 if unknown. */
  private static int parentOf(Path procPidDir) {
    try {
      String stat = Files.readString(procPidDir.resolve("stat"), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(f[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
