package io.jrkt.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The directories a pod's user networks ({@code *.conf}) and plugins are looked up in, first
 * one first: a network name found in an earlier directory hides the same name further on.
 *
 * <p>With {@code --local-config} given, only its {@code net.d}. Without, jrkt's own
 * {@code /etc/jrkt/net.d} first, then the default local configuration's {@code net.d}
 * ({@code /etc/rkt/net.d}), so that the networks of a host that ran rkt keep working.
 */
public record NetConfigDirs(List<Path> dirs) {
  /** jrkt's own directory of network configs, read when no --local-config is given. */
  public static final Path JRKT_NET_D = Path.of("/etc/jrkt/net.d");

  public NetConfigDirs {
    dirs = List.copyOf(dirs);
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException("no network config directory");
    }
  }

  /**
   * @param localConfig the local configuration directory in effect
   * @param given whether it was given with {@code --local-config} (rather than the default)
   */
  public static NetConfigDirs of(Path localConfig, boolean given) {
    List<Path> d = new ArrayList<>();
    if (!given) {
      d.add(JRKT_NET_D);
    }
    d.add(localConfig.resolve("net.d"));
    return new NetConfigDirs(d);
  }

  /** One directory only (tests, and callers that know theirs). */
  public static NetConfigDirs of(Path netD) {
    return new NetConfigDirs(List.of(netD));
  }

  /** For messages: "A" or "A or B". */
  public String describe() {
    return dirs.stream().map(Path::toString).collect(Collectors.joining(" or "));
  }
}
