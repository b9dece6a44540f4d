package io.jrkt.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --net} value as the network code needs it: {@code host}, {@code none}, {@code all}
 * or named networks with their CNI_ARGS. The syntax is checked by stage0's flag parsing
 * already; this only splits it.
 */
public record NetListSpec(String value, List<Entry> entries) {
  /** One named network and its {@code K=V;K2=V2} arguments (empty when none). */
  public record Entry(String name, String args) {}

  public NetListSpec {
    entries = List.copyOf(entries);
  }

  public static NetListSpec parse(String value) throws NetException {
    if (value == null || value.isEmpty()) {
      value = "default";
    }
    List<Entry> out = new ArrayList<>();
    for (String net : value.split(",", -1)) {
      int colon = net.indexOf(':');
      String name = colon < 0 ? net : net.substring(0, colon);
      String args = colon < 0 ? "" : net.substring(colon + 1);
      if (!NetNames.isValid(name)) {
        throw new NetException("--net=" + value + ": \"" + name
            + "\" is not a valid network name");
      }
      for (String kv : args.isEmpty() ? new String[0] : args.split(";", -1)) {
        if (kv.indexOf('=') <= 0) {
          throw new NetException("--net=" + value + ": arguments of network \"" + name
              + "\" must be KEY=VALUE;KEY2=VALUE2, not \"" + kv + "\"");
        }
      }
      out.add(new Entry(name, args));
    }
    return new NetListSpec(value, out);
  }

  public boolean host() {
    return value.equals("host");
  }

  public boolean none() {
    return value.equals("none");
  }

  public boolean all() {
    return value.equals("all");
  }

  /** Whether the pod gets a network namespace with CNI networks in it. */
  public boolean contained() {
    return !host() && !none();
  }
}
