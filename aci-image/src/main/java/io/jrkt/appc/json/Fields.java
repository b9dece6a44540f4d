package io.jrkt.appc.json;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.Names;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from parsed JSON, with errors that name the field path. As with Go's decoder, a
 * JSON null or a missing key means "not set"; unknown keys are ignored.
 */
final class Fields {
  private Fields() {}

  /** {@code path.key}, or just {@code key} at the top. */
  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static AppcException error(String path, String what) {
    return new AppcException(path.isEmpty() ? what : path + ": " + what);
  }

  /** Wraps a validation failure of a value type, located at {@code path}. */
  static AppcException error(String path, IllegalArgumentException e) {
    return error(path, e.getMessage());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object v, String path) throws AppcException {
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw error(path, "must be an object, got " + kind(v));
  }

  /** An optional object member: null when absent or null. */
  static Map<String, Object> optObject(Map<String, Object> m, String key, String path)
      throws AppcException {
    Object v = m.get(key);
    return v == null ? null : object(v, child(path, key));
  }

  /** An array member; absent or null gives an empty list. */
  @SuppressWarnings("unchecked")
  static List<Object> array(Map<String, Object> m, String key, String path)
      throws AppcException {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List) {
      return (List<Object>) v;
    }
    throw error(child(path, key), "must be an array, got " + kind(v));
  }

  /** Checks a manifest's {@code acKind}, which must be {@code kind}. */
  static void requireKind(Map<String, Object> m, String kind) throws AppcException {
    String actual = string(m, "acKind", "");
    if (!kind.equals(actual)) {
      throw error("acKind", (actual == null ? "missing" : Names.quote(actual) + " is wrong")
          + ", must be \"" + kind + "\"");
    }
  }

  /** A string member, null when absent or null. */
  static String string(Map<String, Object> m, String key, String path) throws AppcException {
    Object v = m.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw error(child(path, key), "must be a string, got " + kind(v));
  }

  /** A string member that must be present and non-empty. */
  static String requiredString(Map<String, Object> m, String key, String path)
      throws AppcException {
    String s = string(m, key, path);
    if (s == null || s.isEmpty()) {
      throw error(child(path, key), "must be set");
    }
    return s;
  }

  /** Parses a value from a string. */
  interface Parser<T> {
    T parse(String s) throws AppcException;
  }

  /**
   * A string member run through a value parser (which sees null when the member is absent); the
   * parser's message is located at the member.
   */
  static <T> T parsed(Map<String, Object> m, String key, String path, Parser<T> parser)
      throws AppcException {
    String s = string(m, key, path);
    try {
      return parser.parse(s);
    } catch (AppcException e) {
      throw e.at(child(path, key));
    }
  }

  static Boolean bool(Map<String, Object> m, String key, String path) throws AppcException {
    Object v = m.get(key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw error(child(path, key), "must be true or false, got " + kind(v));
  }

  /** A whole-number member in [min, max], null when absent or null. */
  static Long integer(Map<String, Object> m, String key, String path, long min, long max)
      throws AppcException {
    return integer(m.get(key), child(path, key), min, max);
  }

  static Long integer(Object v, String path, long min, long max) throws AppcException {
    if (v == null) {
      return null;
    }
    Long n = null;
    if (v instanceof Long) {
      n = (Long) v;
    } else if (v instanceof BigDecimal) {
      try {
        n = ((BigDecimal) v).longValueExact();
      } catch (ArithmeticException notWhole) {
        // reported below
      }
    }
    if (n == null) {
      throw error(path, "must be a whole number, got " + kind(v));
    }
    if (n < min || n > max) {
      throw error(path, "must be from " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  /** An array of strings; absent or null gives an empty list. */
  static List<String> strings(Map<String, Object> m, String key, String path)
      throws AppcException {
    List<Object> l = array(m, key, path);
    List<String> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      Object v = l.get(i);
      if (!(v instanceof String)) {
        throw error(index(child(path, key), i), "must be a string, got " + kind(v));
      }
      out.add((String) v);
    }
    return out;
  }

  /** An object of strings (Go's map[string]string); absent or null gives an empty map. */
  static Map<String, String> stringMap(Map<String, Object> m, String key, String path)
      throws AppcException {
    Map<String, Object> o = optObject(m, key, path);
    if (o == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o.entrySet()) {
      if (!(e.getValue() instanceof String)) {
        throw error(child(path, key) + "." + e.getKey(),
            "must be a string, got " + kind(e.getValue()));
      }
      out.put(e.getKey(), (String) e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /** What a JSON value is, for messages. */
  static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "the string " + Names.quote((String) v);
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Long) {
      return "the number " + v;
    }
    if (v instanceof BigDecimal) {
      return "the number " + ((BigDecimal) v).toPlainString();
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    return v.getClass().getSimpleName();
  }

  // ---- writing: helpers that mirror Go's omitempty ----

  static void putIfNotEmpty(Map<String, Object> out, String key, List<?> l) {
    if (!l.isEmpty()) {
      out.put(key, l);
    }
  }

  static void putIfNotEmpty(Map<String, Object> out, String key, Map<?, ?> m) {
    if (!m.isEmpty()) {
      out.put(key, m);
    }
  }

  static void putIfNotNull(Map<String, Object> out, String key, Object v) {
    if (v != null) {
      out.put(key, v);
    }
  }

  /** A list for a field Go writes even when empty: null then, as for a nil slice. */
  static Object nullIfEmpty(List<?> l) {
    return l.isEmpty() ? null : l;
  }
}
