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
    assertEquals(List.of("journalctl", "--no-pager", "--quiet", "--output=json",
        "--output-fields=MESSAGE,SYSLOG_IDENTIFIER", "--lines=1000",
        "--since=@1767323045", "--until=@1767323101", "_SYSTEMD_UNIT=jrkt-x.service",
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

  @Test
  void parsesStringAndByteArrayMessages() throws LogException {
    LogEntry e = JournalEntries.parse("{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":"
        + "\"1767323045500001\",\"SYSLOG_IDENTIFIER\":\"web\",\"MESSAGE\":\"hello \\\"x\\\"\"}");
    assertEquals(new LogEntry(Instant.parse("2026-01-02T03:04:05.500001Z"), "web",
        "hello \"x\""), e);
    LogEntry bytes = JournalEntries.parse("{\"__REALTIME_TIMESTAMP\":\"1000000\","
        + "\"MESSAGE\":[104,105,255]}");
    assertEquals("hi\uFFFD", bytes.message());
    assertEquals("", bytes.app());
    assertEquals("", JournalEntries.parse("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":null}")
        .message());
  }

  @Test
  void fastPathAgreesWithTheGeneralParser() throws Exception {
    for (String line : new String[] {
        "{\"__REALTIME_TIMESTAMP\":\"1767323045500001\",\"MESSAGE\":\"a\\tb \\u00e9\\\\\"}",
        "{ \"_BOOT_ID\" : \"x\", \"SYSLOG_IDENTIFIER\" : \"w\", \"__REALTIME_TIMESTAMP\" : \"7\","
            + " \"MESSAGE\" : \"\" }"}) {
      LogEntry fast = FlatJson.entry(line);
      java.util.Map<String, Object> o = io.jrkt.json.Json.asObject(io.jrkt.json.Json.parse(line),
          "x");
      assertEquals(o.get("MESSAGE"), fast.message(), line);
      assertEquals(o.getOrDefault("SYSLOG_IDENTIFIER", ""), fast.app(), line);
    }
    assertEquals(null, FlatJson.entry("{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[104]}"));
    assertEquals(null, FlatJson.entry("{\"MESSAGE\":\"x\""));
  }

  @Test
  void badEntriesAreErrors() {
    assertThrows(LogException.class, () -> JournalEntries.parse("{\"MESSAGE\":\"x\"}"));
    assertThrows(LogException.class, () -> JournalEntries.parse("not json"));
    assertThrows(LogException.class, () -> JournalEntries.parse(
        "{\"__REALTIME_TIMESTAMP\":\"12a\"}"));
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
