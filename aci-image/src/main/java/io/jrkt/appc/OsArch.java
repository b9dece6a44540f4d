package io.jrkt.appc;

import java.util.List;
import java.util.Map;

/** The os/arch label pairs appc accepts, and the ones this engine can run (linux only). */
public final class OsArch {
  private OsArch() {}

  public static final List<String> LINUX_ARCHS = List.of("amd64", "i386", "aarch64",
      "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le", "s390x");

  /** Sorted by os name, so messages list them in a stable order. */
  static final Map<String, List<String>> VALID = new java.util.TreeMap<>(Map.of(
      "darwin", List.of("x86_64", "i386"),
      "freebsd", List.of("amd64", "i386", "arm"),
      "linux", LINUX_ARCHS));

  /** The problem with an os (and optional arch) label, or null when they are valid. */
  static String problem(String os, String arch) {
    List<String> archs = VALID.get(os);
    if (archs == null) {
      return "bad os " + Names.quote(os) + " (must be one of: " + String.join(", ", VALID.keySet())
          + ")";
    }
    if (arch != null && !archs.contains(arch)) {
      return "bad arch " + Names.quote(arch) + " for " + os + " (must be one of: "
          + String.join(", ", archs) + ")";
    }
    return null;
  }

  /** The arch label value for the machine this JVM runs on, or null when unknown. */
  public static String hostArch() {
    String a = System.getProperty("os.arch", "");
    switch (a) {
      case "amd64": case "x86_64": return "amd64";
      case "x86": case "i386": case "i486": case "i586": case "i686": return "i386";
      case "aarch64": case "arm64": return "aarch64";
      case "ppc64": return "ppc64";
      case "ppc64le": return "ppc64le";
      case "s390x": return "s390x";
      case "arm": return "armv7l";
      default: return null;
    }
  }
}
