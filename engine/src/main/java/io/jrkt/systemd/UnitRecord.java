package io.jrkt.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The pod directory's {@code unit} file: which systemd unit runs the pod and on which bus, so
 * that stop, status, logs and gc find it. Two lines, {@code name=UNIT} and {@code bus=ADDRESS}
 * (empty: the default system bus). Written to a temp file and renamed: never half-written.
 */
public record UnitRecord(UnitName name, String bus) {
  public static final String FILE = "unit";

  public UnitRecord {
    if (bus == null || bus.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("invalid bus address: " + bus);
    }
  }

  public String text() {
    return "name=" + name.value() + "\nbus=" + bus + "\n";
  }

  public static UnitRecord parse(String text, Path where) throws IOException {
    String name = null;
    String bus = "";
    for (String line : text.split("\n")) {
      if (line.startsWith("name=")) {
        name = line.substring(5);
      } else if (line.startsWith("bus=")) {
        bus = line.substring(4);
      }
    }
    if (name == null) {
      throw new IOException(where + ": no name= line");
    }
    try {
      return new UnitRecord(new UnitName(name), bus);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }

  /** The record of the pod in {@code podDir}, if it runs (or ran) as a unit. */
  public static Optional<UnitRecord> read(Path podDir) throws IOException {
    Path f = podDir.resolve(FILE);
    try {
      return Optional.of(parse(Files.readString(f, StandardCharsets.UTF_8), f));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  public void write(Path podDir) throws IOException {
    Path tmp = podDir.resolve("." + FILE + ".tmp");
    Files.writeString(tmp, text(), StandardCharsets.UTF_8);
    Files.move(tmp, podDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  public static void delete(Path podDir) throws IOException {
    Files.deleteIfExists(podDir.resolve(FILE));
  }

  /**
   * The service unit this process runs in, from the cgroup2 line of {@code /proc/self/cgroup}
   * ({@code 0::/system.slice/k8s_UUID.service}): the innermost path component ending in
   * {@code .service}. Only meaningful when systemd started us ({@code INVOCATION_ID} is set).
   */
  public static Optional<UnitName> unitOfCgroupFile(String procSelfCgroup) {
    for (String line : procSelfCgroup.split("\n")) {
      if (!line.startsWith("0::")) {
        continue;
      }
      String[] parts = line.substring(3).split("/");
      for (int i = parts.length - 1; i >= 0; i--) {
        if (parts[i].endsWith(".service")) {
          try {
            return Optional.of(new UnitName(parts[i]));
          } catch (IllegalArgumentException e) {
            return Optional.empty();
          }
        }
      }
    }
    return Optional.empty();
  }
}
