package io.jrkt.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads journalctl's export format ({@code --output=export}), journald's own serialization:
 * per entry, one {@code FIELD=value} line per text field, or for a field whose value is not
 * printable text the name on its own line, a 64-bit little-endian length, the bytes and a
 * newline; an empty line ends the entry. Cheaper for journalctl to write than JSON, and
 * binary-safe. Keeps only __REALTIME_TIMESTAMP, SYSLOG_IDENTIFIER and MESSAGE.
 */
final class JournalExportReader {
  private static final byte[] TIMESTAMP = bytes("__REALTIME_TIMESTAMP");
  private static final byte[] IDENTIFIER = bytes("SYSLOG_IDENTIFIER");
  private static final byte[] MESSAGE = bytes("MESSAGE");
  /** journald refuses larger fields; a bigger length means a corrupt stream. */
  private static final long MAX_FIELD = 768L * 1024 * 1024;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int end;
  private byte[] line = new byte[256];
  private int lineLength;

  JournalExportReader(InputStream in) {
    this.in = in;
  }

  /** Whether a next entry can be read without blocking (as far as the stream tells). */
  boolean ready() throws IOException {
    return pos < end || in.available() > 0;
  }

  /** The next entry, or null at the end of the stream. Entries without a MESSAGE are skipped. */
  LogEntry next() throws IOException, LogException {
    while (true) {
      long micros = -1;
      String app = "";
      String message = null;
      boolean any = false;
      while (true) {
        if (!readLine()) {
          if (any) {
            throw new LogException("journal export stream ended inside an entry");
          }
          return null;
        }
        if (lineLength == 0) {
          break;
        }
        any = true;
        int eq = indexOf(line, lineLength, (byte) '=');
        if (eq >= 0) {
          if (is(TIMESTAMP, eq)) {
            micros = parseLong(eq + 1);
          } else if (is(IDENTIFIER, eq)) {
            app = new String(line, eq + 1, lineLength - eq - 1, StandardCharsets.UTF_8);
          } else if (is(MESSAGE, eq)) {
            message = new String(line, eq + 1, lineLength - eq - 1, StandardCharsets.UTF_8);
          }
        } else {
          boolean wanted = is(MESSAGE, lineLength) || is(IDENTIFIER, lineLength);
          boolean isMessage = is(MESSAGE, lineLength);
          byte[] value = readBinary();
          if (wanted) {
            String text = new String(value, StandardCharsets.UTF_8);
            if (isMessage) {
              message = stripNewline(text);
            } else {
              app = text;
            }
          }
        }
      }
      if (micros < 0) {
        throw new LogException("journal entry without __REALTIME_TIMESTAMP");
      }
      if (message != null) {
        return new LogEntry(Instant.ofEpochSecond(micros / 1_000_000,
            (micros % 1_000_000) * 1_000), app, message);
      }
    }
  }

  private static String stripNewline(String s) {
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  private boolean is(byte[] name, int length) {
    if (length != name.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (line[i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private long parseLong(int from) throws LogException {
    long v = 0;
    if (from >= lineLength) {
      throw new LogException("empty __REALTIME_TIMESTAMP");
    }
    for (int i = from; i < lineLength; i++) {
      int d = line[i] - '0';
      if (d < 0 || d > 9) {
        throw new LogException("bad __REALTIME_TIMESTAMP \"" + new String(line, from,
            lineLength - from, StandardCharsets.UTF_8) + "\"");
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Reads up to the next newline into {@code line}; false at the end of the stream. */
  private boolean readLine() throws IOException {
    lineLength = 0;
    while (true) {
      if (pos == end && !fill()) {
        return lineLength > 0;
      }
      int nl = indexOf(buf, pos, end, (byte) '\n');
      int stop = nl < 0 ? end : nl;
      append(buf, pos, stop - pos);
      pos = nl < 0 ? end : nl + 1;
      if (nl >= 0) {
        return true;
      }
    }
  }

  private byte[] readBinary() throws IOException, LogException {
    byte[] len = readExactly(8);
    long n = 0;
    for (int i = 7; i >= 0; i--) {
      n = (n << 8) | (len[i] & 0xff);
    }
    if (n < 0 || n > MAX_FIELD) {
      throw new LogException("journal export field of " + n + " bytes");
    }
    byte[] value = readExactly((int) n);
    byte[] nl = readExactly(1);
    if (nl[0] != '\n') {
      throw new LogException("journal export binary field not followed by a newline");
    }
    return value;
  }

  private byte[] readExactly(int n) throws IOException, LogException {
    byte[] out = new byte[n];
    int got = 0;
    while (got < n) {
      if (pos == end && !fill()) {
        throw new LogException("journal export stream ended inside a field");
      }
      int c = Math.min(n - got, end - pos);
      System.arraycopy(buf, pos, out, got, c);
      pos += c;
      got += c;
    }
    return out;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      pos = end = 0;
      return false;
    }
    pos = 0;
    end = n;
    return true;
  }

  private void append(byte[] src, int from, int n) {
    if (lineLength + n > line.length) {
      byte[] bigger = new byte[Math.max(line.length * 2, lineLength + n)];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    System.arraycopy(src, from, line, lineLength, n);
    lineLength += n;
  }

  private static int indexOf(byte[] a, int length, byte b) {
    return indexOf(a, 0, length, b);
  }

  private static int indexOf(byte[] a, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
