package io.jrkt.net;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where CNI plugins are looked up by type: the user's {@code net.d} directory first (as rkt),
 * then the plugin directories ({@code /usr/lib/cni} and {@code /opt/cni/bin} unless
 * {@code JRKT_CNI_PATH} gives a colon-separated list). The same list is the plugins'
 * {@code CNI_PATH}.
 */
public record PluginPath(List<Path> dirs) {
  public static final String ENV = "JRKT_CNI_PATH";
  public static final List<Path> DEFAULT_DIRS = List.of(Path.of("/usr/lib/cni"),
      Path.of("/opt/cni/bin"));

  public PluginPath {
    dirs = List.copyOf(dirs);
  }

  /** The path for the user's net.d directories and the environment's {@code JRKT_CNI_PATH}. */
  public static PluginPath of(NetConfigDirs netDirs, String envValue) {
    List<Path> d = new ArrayList<>(netDirs.dirs());
    if (envValue != null && !envValue.isEmpty()) {
      for (String s : envValue.split(":")) {
        if (!s.isEmpty()) {
          d.add(Path.of(s));
        }
      }
    } else {
      d.addAll(DEFAULT_DIRS);
    }
    return new PluginPath(d);
  }

  /** The first executable file named {@code type}. */
  public Optional<Path> find(String type) {
    for (Path dir : dirs) {
      Path p = dir.resolve(type);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Like {@link #find} but refusing a missing plugin, naming the network and the path. */
  public Path require(String type, NetConf forNet) throws NetException {
    return find(type).orElseThrow(() -> new NetException("network \"" + forNet.name() + "\" ("
        + forNet.source() + "): no CNI plugin \"" + type + "\" in " + cniPath()));
  }

  /** {@code CNI_PATH}: the directories joined by {@code :}. */
  public String cniPath() {
    StringBuilder sb = new StringBuilder();
    for (Path p : dirs) {
      if (sb.length() > 0) {
        sb.append(File.pathSeparatorChar);
      }
      sb.append(p);
    }
    return sb.toString();
  }
}
