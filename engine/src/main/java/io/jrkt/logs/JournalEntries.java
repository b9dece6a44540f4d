package io.jrkt.logs;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Parses one line of {@code journalctl --output=json} into a {@link LogEntry}. */
public final class JournalEntries {
  private JournalEntries() {}

  /**
   * The entry of one JSON line. MESSAGE is a string, or an array of byte values when it is not
   * valid UTF-8, or null when journald dropped it for size.
   */
  public static LogEntry parse(String line) throws LogException {
    LogEntry fast = FlatJson.entry(line);
    if (fast != null) {
      return fast;
    }
    Map<String, Object> o;
    try {
      o = Json.asObject(Json.parse(line), "journal entry");
    } catch (JsonException e) {
      throw new LogException("unreadable journal entry: " + e.getMessage(), e);
    }
    Object ts = o.get("__REALTIME_TIMESTAMP");
    if (!(ts instanceof String s) || s.isEmpty()) {
      throw new LogException("journal entry without __REALTIME_TIMESTAMP: " + abbreviate(line));
    }
    long micros;
    try {
      micros = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new LogException("journal entry with a bad __REALTIME_TIMESTAMP \"" + s + "\"", e);
    }
    Instant time = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
    Object id = o.get("SYSLOG_IDENTIFIER");
    return new LogEntry(time, id instanceof String app ? app : "", text(o.get("MESSAGE")));
  }

  private static String text(Object message) {
    if (message instanceof String s) {
      return s;
    }
    if (message instanceof List<?> bytes) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(bytes.size());
      for (Object v : bytes) {
        if (v instanceof Number n) {
          b.write(n.intValue());
        }
      }
      return b.toString(StandardCharsets.UTF_8);
    }
    return "";
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}
