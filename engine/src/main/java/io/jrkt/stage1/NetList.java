package io.jrkt.stage1;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --net} value: {@code default} (also when absent or bare), {@code host},
 * {@code none}, {@code default-restricted}, {@code all}, or named networks with optional CNI
 * arguments, {@code NAME[:K=V;K2=V2][,NAME2...]}. Checked here, passed to the stage1 verbatim.
 */
public final class NetList {
  private static final List<String> ALONE = List.of("host", "none");
  private static final List<String> NO_ARGS = List.of("host", "none", "all");

  private NetList() {}

  /** Checks {@code value}; returns it as the stage1 gets it ({@code default} for empty). */
  public static String parse(String value) throws ArgsException {
    if (value == null || value.isEmpty()) {
      return "default";
    }
    List<String> names = new ArrayList<>();
    for (String net : value.split(",", -1)) {
      int colon = net.indexOf(':');
      String name = colon < 0 ? net : net.substring(0, colon);
      String where = "--net=" + value + ": ";
      if (name.isEmpty()) {
        throw new ArgsException(where + "empty network name");
      }
      if (!isNetName(name)) {
        throw new ArgsException(where + "\"" + name + "\" is not a valid network name");
      }
      if (colon >= 0) {
        if (NO_ARGS.contains(name)) {
          throw new ArgsException(where + "network \"" + name + "\" takes no arguments");
        }
        for (String kv : net.substring(colon + 1).split(";", -1)) {
          if (kv.indexOf('=') <= 0) {
            throw new ArgsException(where + "network arguments of \"" + name
                + "\" must be KEY=VALUE;KEY2=VALUE2, not \"" + kv + "\"");
          }
        }
      }
      if (names.contains(name)) {
        throw new ArgsException(where + "network \"" + name + "\" is given twice");
      }
      names.add(name);
    }
    for (String alone : ALONE) {
      if (names.contains(alone) && names.size() > 1) {
        throw new ArgsException("--net=" + value + ": \"" + alone
            + "\" cannot be combined with other networks");
      }
    }
    return value;
  }

  /** Whether ports can be forwarded into a pod on these networks. */
  public static boolean allowsPorts(String netList) {
    return !netList.equals("host") && !netList.equals("none");
  }

  private static boolean isNetName(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}
