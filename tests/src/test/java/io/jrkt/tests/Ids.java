package io.jrkt.tests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Shapes of the identifiers and line formats jrkt prints. */
final class Ids {
  static final Pattern UUID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  static final Pattern SHORT_IMAGE_ID = Pattern.compile("sha512-[0-9a-f]{32}");
  static final Pattern FULL_IMAGE_ID = Pattern.compile("sha512-[0-9a-f]{64}");

  private Ids() {}

  static boolean isUuid(String s) {
    return UUID.matcher(s).matches();
  }

  /** The 39-character form {@code fetch} prints: {@code sha512-} and 32 hex digits. */
  static String shortId(String fullId) {
    return fullId.substring(0, 7 + 32);
  }

  /** {@code status} text output as a map (key=value lines, in order). */
  static Map<String, String> keyValues(List<String> lines) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new AssertionError("not a key=value line: '" + line + "'");
      }
      map.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return map;
  }

  /** Table cells: columns are separated by one or more tabs (Go's tabwriter with tab padding). */
  static List<String> cells(String row) {
    return List.of(row.split("\t+"));
  }
}
