package io.jrkt.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The host ports other pods forward already: the portmap plugin's {@code CNI-HOSTPORT-DNAT}
 * chain. A forward takes a port without binding a socket, so a bind test alone misses them.
 */
final class ForwardedPorts {
  static final String CHAIN = "CNI-HOSTPORT-DNAT";

  /** One forwarded port: {@code tcp/8080}. */
  record Taken(String protocol, int port) {}

  private ForwardedPorts() {}

  /** Parses {@code iptables -S CHAIN} output. */
  static List<Taken> parse(String rules) {
    List<Taken> out = new ArrayList<>();
    for (String line : rules.split("\n")) {
      String[] t = line.trim().split("\\s+");
      String proto = null;
      String ports = null;
      for (int i = 0; i + 1 < t.length; i++) {
        if (t[i].equals("-p")) {
          proto = t[i + 1];
        } else if (t[i].equals("--dports") || t[i].equals("--dport")) {
          ports = t[i + 1];
        }
      }
      if (proto == null || ports == null) {
        continue;
      }
      for (String p : ports.split(",")) {
        try {
          out.add(new Taken(proto, Integer.parseInt(p)));
        } catch (NumberFormatException e) {
          // a range or a name: not one of portmap's rules
        }
      }
    }
    return out;
  }

  /** The forwarded ports now; none when the chain does not exist yet. */
  static List<Taken> current() throws NetException {
    ProcessBuilder pb = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S", CHAIN);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 ? parse(out) : List.of();
    } catch (IOException e) {
      throw new NetException("cannot list forwarded host ports (iptables): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetException("interrupted while listing forwarded host ports", e);
    }
  }
}
