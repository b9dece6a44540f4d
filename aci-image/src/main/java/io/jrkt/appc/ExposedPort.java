package io.jrkt.appc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pod port forwarded from the host: the app port named {@code name} is reachable on
 * {@code hostPort} (of {@code hostIP}, null = all addresses). {@code podPort} is appc's optional
 * inline port definition, usually null.
 */
public record ExposedPort(AcName name, int hostPort, String hostIP, Port podPort) {
  private static final Pattern IPV4 = Pattern.compile(
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");
  private static final Pattern HEX_GROUP = Pattern.compile("^[0-9a-fA-F]{1,4}$");

  public ExposedPort {
    Objects.requireNonNull(name, "name");
    if (hostPort < 1 || hostPort > 65535) {
      throw new IllegalArgumentException(
          "port " + name + ": hostPort must be from 1 to 65535, got " + hostPort);
    }
    if (hostIP != null && hostIP.isEmpty()) {
      hostIP = null;
    }
    if (hostIP != null && !isIpLiteral(hostIP)) {
      throw new IllegalArgumentException(
          "port " + name + ": hostIP " + Names.quote(hostIP) + " is not an IP address");
    }
  }

  public ExposedPort(AcName name, int hostPort, String hostIP) {
    this(name, hostPort, hostIP, null);
  }

  /** An IPv4 dotted quad or an IPv6 address (no zone), checked without any name lookup. */
  public static boolean isIpLiteral(String s) {
    return IPV4.matcher(s).matches() || isIpv6(s);
  }

  private static boolean isIpv6(String s) {
    int groupsWanted = 8;
    String tail = s;
    int lastColon = s.lastIndexOf(':');
    if (lastColon < 0) {
      return false;
    }
    if (s.indexOf('.', lastColon) > 0) {
      // an embedded IPv4 address stands for the last two groups
      if (!IPV4.matcher(s.substring(lastColon + 1)).matches()) {
        return false;
      }
      groupsWanted = 6;
      tail = s.substring(0, lastColon + 1) + "0";
      groupsWanted += 1;
    }
    int gap = tail.indexOf("::");
    if (gap >= 0 && tail.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String[] halves = gap >= 0
        ? new String[] {tail.substring(0, gap), tail.substring(gap + 2)}
        : new String[] {tail};
    int groups = 0;
    for (String half : halves) {
      if (half.isEmpty()) {
        continue;
      }
      for (String g : half.split(":", -1)) {
        if (!HEX_GROUP.matcher(g).matches()) {
          return false;
        }
        groups++;
      }
    }
    return gap >= 0 ? groups < groupsWanted : groups == groupsWanted;
  }
}
