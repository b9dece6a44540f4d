package io.jrkt.json;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for the engine's start-up path.
 *
 * <p>It maps JSON to plain JDK types: objects to {@link LinkedHashMap} (key order kept), arrays to
 * {@link ArrayList}, strings to {@link String}, integers to {@link Long} (or {@link BigDecimal}
 * when they do not fit), other numbers to {@link BigDecimal}, booleans to {@link Boolean} and
 * null to Java null. A data-binding library costs hundreds of milliseconds of class loading at
 * start-up; this costs a handful of classes.
 *
 * <p>The writer produces the shapes rkt's Go encoder produced: compact, or indented with one tab
 * per level and {@code ": "} after keys, with {@code <}, {@code >} and {@code &} escaped.
 */
public final class Json {
  private Json() {}

  /** Parses one JSON value; trailing non-whitespace is an error. */
  public static Object parse(String text) throws JsonException {
    Reader r = new Reader(text);
    r.skipWhitespace();
    Object v = r.value(0);
    r.skipWhitespace();
    if (r.pos != text.length()) {
      throw r.error("unexpected data after the JSON value");
    }
    return v;
  }

  public static Object parse(byte[] utf8) throws JsonException {
    return parse(new String(utf8, StandardCharsets.UTF_8));
  }

  /** Compact form, as Go's json.Marshal. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, null, 0);
    return sb.toString();
  }

  /** Tab-indented form, as Go's json.MarshalIndent(v, "", "\t"). */
  public static String writePretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "\t", 0);
    return sb.toString();
  }

  /** Writes a JSON string literal with Go's escaping. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static void write(StringBuilder sb, Object v, String indent, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer
        || v instanceof Short || v instanceof Byte) {
      sb.append(v);
    } else if (v instanceof BigDecimal) {
      sb.append(((BigDecimal) v).toPlainString());
    } else if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON cannot represent " + d);
      }
      sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, depth + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(indent == null ? ":" : ": ");
        write(sb, e.getValue(), indent, depth + 1);
      }
      newline(sb, indent, depth);
      sb.append('}');
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (l.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        newline(sb, indent, depth + 1);
        write(sb, l.get(i), indent, depth + 1);
      }
      newline(sb, indent, depth);
      sb.append(']');
    } else if (v instanceof JsonWritable) {
      write(sb, ((JsonWritable) v).toJsonValue(), indent, depth);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  private static void newline(StringBuilder sb, String indent, int depth) {
    if (indent == null) {
      return;
    }
    sb.append('\n');
    for (int i = 0; i < depth; i++) {
      sb.append(indent);
    }
  }

  /** Something that can present itself as a JSON value made of JDK types. */
  public interface JsonWritable {
    Object toJsonValue();
  }

  private static final int MAX_DEPTH = 256;

  private static final class Reader {
    final String s;
    int pos;

    Reader(String s) {
      this.s = s;
    }

    JsonException error(String what) {
      return new JsonException(what + " at offset " + pos);
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) throws JsonException {
      if (depth > MAX_DEPTH) {
        throw error("JSON nested too deeply");
      }
      if (pos >= s.length()) {
        throw error("unexpected end of JSON");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return string();
        case 't': return literal("true", Boolean.TRUE);
        case 'f': return literal("false", Boolean.FALSE);
        case 'n': return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object v) throws JsonException {
      if (!s.startsWith(word, pos)) {
        throw error("invalid literal");
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object(int depth) throws JsonException {
      pos++;
      Map<String, Object> m = new LinkedHashMap<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected an object key");
        }
        String key = string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
        m.put(key, value(depth + 1));
        skipWhitespace();
        if (pos >= s.length()) {
          throw error("unexpected end of JSON in object");
        }
        char c = s.charAt(pos++);
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array(int depth) throws JsonException {
      pos++;
      List<Object> l = new ArrayList<>();
      skipWhitespace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return l;
      }
      while (true) {
        skipWhitespace();
        l.add(value(depth + 1));
        skipWhitespace();
        if (pos >= s.length()) {
          throw error("unexpected end of JSON in array");
        }
        char c = s.charAt(pos++);
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ']'");
        }
      }
    }

    void expect(char c) throws JsonException {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    String string() throws JsonException {
      pos++;
      StringBuilder sb = null;
      int start = pos;
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
          pos++;
          return out;
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c == '\\') {
          if (sb == null) {
            sb = new StringBuilder();
          }
          sb.append(s, start, pos);
          pos++;
          if (pos >= s.length()) {
            throw error("unterminated escape");
          }
          char e = s.charAt(pos++);
          switch (e) {
            case '"': sb.append('"'); break;
            case '\\': sb.append('\\'); break;
            case '/': sb.append('/'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'n': sb.append('\n'); break;
            case 'r': sb.append('\r'); break;
            case 't': sb.append('\t'); break;
            case 'u':
              if (pos + 4 > s.length()) {
                throw error("truncated \\u escape");
              }
              try {
                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException ex) {
                throw error("invalid \\u escape");
              }
              pos += 4;
              break;
            default:
              throw error("invalid escape '\\" + e + "'");
          }
          start = pos;
          continue;
        }
        pos++;
      }
    }

    Object number() throws JsonException {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      boolean integral = true;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c >= '0' && c <= '9') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          integral = false;
          pos++;
        } else {
          break;
        }
      }
      String t = s.substring(start, pos);
      try {
        if (integral && t.length() < 19) {
          return Long.parseLong(t);
        }
        BigDecimal d = new BigDecimal(t);
        if (integral) {
          try {
            return d.longValueExact();
          } catch (ArithmeticException tooBig) {
            return d;
          }
        }
        return d;
      } catch (NumberFormatException e) {
        pos = start;
        throw error("invalid number '" + t + "'");
      }
    }
  }

  /** Read-only view helpers for code that walks parsed JSON. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asObject(Object v, String what) throws JsonException {
    if (v instanceof Map) {
      return (Map<String, Object>) v;
    }
    throw new JsonException(what + " must be a JSON object");
  }

  @SuppressWarnings("unchecked")
  public static List<Object> asArray(Object v, String what) throws JsonException {
    if (v == null) {
      return Collections.emptyList();
    }
    if (v instanceof List) {
      return (List<Object>) v;
    }
    throw new JsonException(what + " must be a JSON array");
  }

  public static String asString(Object v, String what) throws JsonException {
    if (v instanceof String) {
      return (String) v;
    }
    throw new JsonException(what + " must be a JSON string");
  }
}
