package io.jrkt.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="..."} or
 * {@code Basic realm="..."}.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
  public static AuthChallenge parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    int sp = h.indexOf(' ');
    String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    int i = sp < 0 ? h.length() : sp + 1;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
        i++;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < h.length() && h.charAt(i) == '"') {
        i++;
        while (i < h.length() && h.charAt(i) != '"') {
          if (h.charAt(i) == '\\' && i + 1 < h.length()) {
            i++;
          }
          value.append(h.charAt(i++));
        }
        i++;
      } else {
        while (i < h.length() && h.charAt(i) != ',') {
          value.append(h.charAt(i++));
        }
      }
      params.put(key, value.toString().trim());
    }
    return new AuthChallenge(scheme, params);
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }
}
