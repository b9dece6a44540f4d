package io.jrkt.net;

/** Syntax of network names and plugin types: they become file names. */
final class NetNames {
  private NetNames() {}

  static boolean isValid(String s) {
    if (s.isEmpty() || s.startsWith(".")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  static boolean isValidPluginType(String s) {
    return isValid(s);
  }
}
