package io.jrkt.stage1.kvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the host programs a VM pod needs: qemu-system-x86_64 and virtiofsd. */
public final class HostTools {
  public static final String QEMU = "qemu-system-x86_64";
  /** Where Debian's qemu-system-common (and others) install virtiofsd, outside PATH. */
  static final List<String> VIRTIOFSD_DIRS = List.of("/usr/lib/qemu", "/usr/libexec",
      "/usr/lib/virtiofsd");

  private HostTools() {}

  public static Optional<Path> qemu(String pathEnv) {
    return onPath(QEMU, pathEnv, List.of());
  }

  public static Optional<Path> virtiofsd(String pathEnv) {
    return onPath("virtiofsd", pathEnv, VIRTIOFSD_DIRS);
  }

  static Optional<Path> onPath(String name, String pathEnv, List<String> extra) {
    List<String> dirs = new ArrayList<>();
    if (pathEnv != null) {
      for (String d : pathEnv.split(":")) {
        if (!d.isEmpty()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(extra);
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
