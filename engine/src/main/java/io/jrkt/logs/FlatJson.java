package io.jrkt.logs;

import java.time.Instant;

/**
 * The fast path of {@link JournalEntries}: journalctl's JSON lines are flat objects of string
 * values, so the three fields needed are picked out with one scan and no maps. Returns null for
 * anything else (a non-string MESSAGE, unusual escapes, a malformed line), which the general
 * JSON parser then handles or reports.
 */
final class FlatJson {
  private FlatJson() {}

  static LogEntry entry(String line) {
    int n = line.length();
    int i = skipSpace(line, 0);
    if (i >= n || line.charAt(i) != '{') {
      return null;
    }
    i++;
    String timestamp = null;
    String app = "";
    String message = null;
    StringBuilder sb = new StringBuilder();
    while (true) {
      i = skipSpace(line, i);
      if (i < n && line.charAt(i) == '}') {
        break;
      }
      int keyEnd = readString(line, i, sb);
      if (keyEnd < 0) {
        return null;
      }
      String key = sb.toString();
      i = skipSpace(line, keyEnd);
      if (i >= n || line.charAt(i) != ':') {
        return null;
      }
      i = skipSpace(line, i + 1);
      if (i >= n || line.charAt(i) != '"') {
        return null; // null, arrays, numbers: the general parser knows them
      }
      int valueEnd = readString(line, i, sb);
      if (valueEnd < 0) {
        return null;
      }
      switch (key) {
        case "__REALTIME_TIMESTAMP": timestamp = sb.toString(); break;
        case "SYSLOG_IDENTIFIER": app = sb.toString(); break;
        case "MESSAGE": message = sb.toString(); break;
        default: break;
      }
      i = skipSpace(line, valueEnd);
      if (i < n && line.charAt(i) == ',') {
        i++;
      } else if (i < n && line.charAt(i) == '}') {
        break;
      } else {
        return null;
      }
    }
    if (timestamp == null || message == null) {
      return null;
    }
    long micros;
    try {
      micros = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return null;
    }
    return new LogEntry(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000),
        app, message);
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** Reads the JSON string at {@code i} into {@code sb}; returns the index after it, or -1. */
  private static int readString(String s, int i, StringBuilder sb) {
    sb.setLength(0);
    if (i >= s.length() || s.charAt(i) != '"') {
      return -1;
    }
    int start = ++i;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append(s, start, i);
        return i + 1;
      }
      if (c == '\\') {
        sb.append(s, start, i);
        if (i + 1 >= n) {
          return -1;
        }
        char e = s.charAt(i + 1);
        switch (e) {
          case '"': case '\\': case '/': sb.append(e); i += 2; break;
          case 'n': sb.append('\n'); i += 2; break;
          case 't': sb.append('\t'); i += 2; break;
          case 'r': sb.append('\r'); i += 2; break;
          case 'b': sb.append('\b'); i += 2; break;
          case 'f': sb.append('\f'); i += 2; break;
          case 'u':
            if (i + 6 > n) {
              return -1;
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
            } catch (NumberFormatException ex) {
              return -1;
            }
            i += 6;
            break;
          default: return -1;
        }
        start = i;
        continue;
      }
      i++;
    }
    return -1;
  }
}
