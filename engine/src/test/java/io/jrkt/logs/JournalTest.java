package io.jrkt.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.pod.PodUuid;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class JournalTest {
  private static final PodUuid POD = new PodUuid("0c6e9c4c-8f8e-4b0e-9a43-5f1f1b3b9a10");

  @Test
  void argvSelectsTheUnitAndTheApps() {
    LogQuery q = new LogQuery(POD, Optional.empty(), OptionalInt.of(1000), false,
        Optional.of(Instant.parse("2026-01-02T03:04:05.500Z")),
        Optional.of(Instant.parse("2026-01-02T03:05:00.250Z")));
    assertEquals(List.of("journalctl", "--no-pager", "--quiet", "--output=export",
        "--output-fields=MESSAGE,SYSLOG_IDENTIFIER", "--lines=1000",
        "--since=@1767323045", "--until=@1767323101", "_SYSTEMD_UNIT=jrkt-x.service",
        "SYSLOG_FACILITY=1",
        "SYSLOG_IDENTIFIER=a", "SYSLOG_IDENTIFIER=b"),
        JournalQuery.argv(List.of("journalctl"), "jrkt-x.service", List.of("a", "b"), q));
  }

  @Test
  void followWithoutLinesShowsEverythingThenFollows() {
    LogQuery q = new LogQuery(POD, Optional.of("a"), OptionalInt.empty(), true,
        Optional.empty(), Optional.empty());
    List<String> argv = JournalQuery.argv(List.of("journalctl", "--directory=/j"), "u.service",
        List.of("a"), q);
    assertTrue(argv.containsAll(List.of("--directory=/j", "--no-tail", "--follow")), argv
        .toString());
    assertFalse(argv.stream().anyMatch(a -> a.startsWith("--lines")), argv.toString());
  }

  private static LogEntry[] read(byte[] stream) throws Exception {
    JournalExportReader r = new JournalExportReader(new java.io.ByteArrayInputStream(stream));
    java.util.List<LogEntry> all = new java.util.ArrayList<>();
    LogEntry e;
    while ((e = r.next()) != null) {
      all.add(e);
    }
    return all.toArray(new LogEntry[0]);
  }

  private static byte[] binaryField(String name, byte[] value) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes((name + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    long n = value.length;
    for (int i = 0; i < 8; i++) {
      b.write((int) (n >>> (8 * i)) & 0xff);
    }
    b.writeBytes(value);
    b.write('\n');
    return b.toByteArray();
  }

  @Test
  void readsTextAndBinaryFieldsOfTheExportFormat() throws Exception {
    java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
    s.writeBytes(("__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1767323045500001\n"
        + "_BOOT_ID=x\nSYSLOG_IDENTIFIER=web\nMESSAGE=hello \"x\" = y\n\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    s.writeBytes("__REALTIME_TIMESTAMP=1000000\n".getBytes(java.nio.charset.StandardCharsets
        .UTF_8));
    s.writeBytes(binaryField("MESSAGE", new byte[] {'a', '\n', 'b', (byte) 0xff}));
    s.writeBytes(binaryField("_CMDLINE", new byte[] {1, 2, 3}));
    s.writeBytes("\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    // an entry without MESSAGE (journald drops over-long ones) is skipped
    s.writeBytes("__REALTIME_TIMESTAMP=2000000\nSYSLOG_IDENTIFIER=web\n\n"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    LogEntry[] e = read(s.toByteArray());
    assertEquals(2, e.length);
    assertEquals(new LogEntry(Instant.parse("2026-01-02T03:04:05.500001Z"), "web",
        "hello \"x\" = y"), e[0]);
    assertEquals("a\nb\uFFFD", e[1].message());
    assertEquals("", e[1].app());
    assertEquals(Instant.ofEpochSecond(1), e[1].time());
  }

  @Test
  void badStreamsAreErrors() {
    assertThrows(LogException.class, () -> read("MESSAGE=x\n\n".getBytes(
        java.nio.charset.StandardCharsets.UTF_8)));
    assertThrows(LogException.class, () -> read("__REALTIME_TIMESTAMP=12a\nMESSAGE=x\n\n"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThrows(LogException.class, () -> read("__REALTIME_TIMESTAMP=1\nMESSAGE\n\1\0"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void windowIsSinceInclusiveUntilExclusive() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    LogQuery q = new LogQuery(POD, Optional.empty(), OptionalInt.empty(), false,
        Optional.of(t), Optional.of(t.plusSeconds(1)));
    assertTrue(q.inWindow(new LogEntry(t, "a", "m")));
    assertFalse(q.inWindow(new LogEntry(t.minusNanos(1000), "a", "m")));
    assertFalse(q.inWindow(new LogEntry(t.plusSeconds(1), "a", "m")));
    assertThrows(IllegalArgumentException.class, () -> new LogQuery(POD, Optional.empty(),
        OptionalInt.of(-1), false, Optional.empty(), Optional.empty()));
  }
}
