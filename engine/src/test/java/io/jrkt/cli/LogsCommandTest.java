package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LogsCommandTest {
  @Test
  void sinceTakesRfc3339OrADurationBeforeNow() throws CliException {
    assertEquals(Optional.of(Instant.parse("2026-01-02T13:04:05Z")),
        LogsCommand.since("2026-01-02T15:04:05+02:00"));
    assertEquals(Optional.of(Instant.parse("2026-01-02T15:04:05.5Z")),
        LogsCommand.since("2026-01-02T15:04:05.5Z"));
    Instant tenMinutesAgo = LogsCommand.since("10m").orElseThrow();
    long ago = Instant.now().getEpochSecond() - tenMinutesAgo.getEpochSecond();
    assertTrue(ago >= 599 && ago <= 605, Long.toString(ago));
    assertEquals(Optional.empty(), LogsCommand.since(""));
    CliException e = assertThrows(CliException.class, () -> LogsCommand.since("yesterday"));
    assertTrue(e.getMessage().contains("\"yesterday\""), e.getMessage());
  }

  @Test
  void linesTakesACountOrAll() throws CliException {
    assertEquals(OptionalInt.of(1000), LogsCommand.lines("1000"));
    assertEquals(OptionalInt.empty(), LogsCommand.lines("all"));
    assertEquals(OptionalInt.empty(), LogsCommand.lines(""));
    assertThrows(CliException.class, () -> LogsCommand.lines("-1"));
    assertThrows(CliException.class, () -> LogsCommand.lines("ten"));
  }
}
