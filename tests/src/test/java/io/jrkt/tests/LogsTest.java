package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.api.v1alpha.GetLogsRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code jrkt logs} on pods run as units: lines, app filter, since, follow, errors. */
class LogsTest extends NodeTest {
  private static final int LINES = 300;
  private String counted;

  @BeforeAll
  void runAPodThatCounts() {
    Path aci = Aci.busybox("example.com/counter")
        .shell("i=1; while [ $i -le " + LINES + " ]; do echo line-$i; i=$((i+1)); done")
        .write(jrkt.work(), "counter.aci");
    counted = runUnit(Jrkt.FLY, List.of(), aci).get(0);
    awaitExited(counted);
  }

  private List<String> expected(int from, int to) {
    List<String> l = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      l.add("line-" + i);
    }
    return l;
  }

  /** journald may still be writing the last lines when the pod has exited. */
  private List<String> logs(String... args) {
    List<String> cmd = new ArrayList<>(List.of("logs"));
    cmd.addAll(List.of(args));
    cmd.add(counted);
    List<String> lines = List.of();
    for (int i = 0; i < 50; i++) {
      lines = jrkt.run(cmd).ok().lines();
      if (lines.contains("line-" + LINES)) {
        break;
      }
      sleep(100);
    }
    return lines;
  }

  @Test
  void allLinesInOrderAfterThePodExited() {
    assertEquals(expected(1, LINES), logs());
  }

  @Test
  void lastLinesOnly() {
    assertEquals(expected(LINES - 9, LINES), logs("--lines=10"));
    assertEquals(List.of(), jrkt.run("logs", "--lines=0", counted).ok().lines());
  }

  @Test
  void appFilterAndUnknownApp() {
    assertEquals(expected(1, LINES), logs("--app=counter"));
    Result r = jrkt.run("logs", "--app=nope", counted);
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.err().contains("no app \"nope\""), r.toString());
  }

  @Test
  void sinceInTheFutureShowsNothingAndTimestampsAreParseable() {
    String future = Instant.now().plusSeconds(3600).toString();
    assertEquals(List.of(), jrkt.run("logs", "--since=" + future, counted).ok().lines());
    List<String> stamped = logs("--timestamps", "--lines=1");
    assertEquals(1, stamped.size(), stamped.toString());
    String[] parts = stamped.get(0).split(" ", 2);
    Instant t = Instant.parse(parts[0]);
    assertTrue(t.isBefore(Instant.now()) && t.isAfter(Instant.now().minusSeconds(600)), t
        .toString());
    assertEquals("line-" + LINES, parts[1]);
    assertEquals(List.of(), jrkt.run("logs", "--since=" + future, counted).ok().lines());
    Result bad = jrkt.run("logs", "--since=yesterday-ish", counted);
    assertEquals(254, bad.exit(), bad.toString());
  }

  @Test
  void followStreamsLinesAsTheyComeAndStopsWhenTheReaderGoes() {
    Path aci = Aci.busybox("example.com/ticker")
        .shell("echo first; sleep 1; echo second; sleep 300")
        .write(jrkt.work(), "ticker.aci");
    String uuid = runUnit(Jrkt.FLY, List.of(), aci).get(0);
    Jrkt.Running follow = jrkt.start(List.of("logs", "--follow", uuid));
    try {
      Path out = null;
      String seen = "";
      for (int i = 0; i < 100 && !seen.contains("second"); i++) {
        sleep(100);
        seen = outputOf(follow);
      }
      assertEquals("first\nsecond\n", seen);
      assertTrue(follow.process().isAlive(), "--follow keeps running");
    } finally {
      follow.process().descendants().forEach(ProcessHandle::destroyForcibly);
      follow.kill9();
      jrkt.run("stop", uuid);
      awaitExited(uuid);
    }
  }

  @Test
  void aPodThatDidNotRunAsAUnitHasNoJournalLogs() {
    Path aci = Aci.busybox("example.com/plain").shell("echo plain").write(jrkt.work(),
        "plain.aci");
    String uuid = jrkt.runPod(List.of(aci.toString())).requireUuid();
    Result r = jrkt.run("logs", uuid);
    assertEquals(254, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err().contains("did not run as a systemd unit"), r.toString());
  }

  /** The kubelet's call: GetLogs with lines=10, over TCP, in rkt's line shape. */
  @Test
  void apiServiceGetLogsServesTheLastLinesFromTheJournal() {
    logs(); // the journal has every line by now
    try (ApiClient api = ApiClient.start(jrkt)) {
      List<String> lines = new ArrayList<>();
      api.blocking.getLogs(GetLogsRequest.newBuilder().setPodId(counted).setAppName("counter")
          .setLines(10).build()).forEachRemaining(r -> lines.addAll(r.getLinesList()));
      assertEquals(10, lines.size(), lines.toString());
      for (int i = 0; i < 10; i++) {
        String line = lines.get(i);
        assertTrue(line.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d+)? [+-]\\d{4} \\S+"
            + " MESSAGE=line-" + (LINES - 9 + i)), line);
      }
    }
  }

  private String outputOf(Jrkt.Running running) {
    return TestNode.readQuietly(running.outFile());
  }
}
