package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Eight pods started at once while gc runs in a loop with no grace period: gc must leave pods
 * that are being prepared or are running alone, and every pod must end with its own exit code.
 */
class ConcurrencyTest extends FunctionalTest {
  private static final int PODS = 8;
  /** Long enough that every pod is seen running before the first one exits. */
  private static final String APP_SECONDS = "8";

  @Test
  void eightConcurrentRunsWithAConcurrentGcLoopKeepTheirExitCodes() throws Exception {
    Path image = Aci.busybox("example.com/concurrent")
        .shell("sleep \"$SECONDS_TO_RUN\"; exit \"$CODE\"")
        .write(jrkt.work(), "concurrent.aci");
    jrkt.fetch(image);

    List<Jrkt.Running> runs = new ArrayList<>();
    List<Path> uuidFiles = new ArrayList<>();
    for (int code = 0; code < PODS; code++) {
      Path uuidFile = jrkt.work().resolve("concurrent-uuid-" + code);
      uuidFiles.add(uuidFile);
      runs.add(jrkt.start(List.of(Jrkt.INSECURE, "run", Jrkt.FLY, "--uuid-file-save=" + uuidFile,
          image.toString(), "--environment=CODE=" + code,
          "--environment=SECONDS_TO_RUN=" + APP_SECONDS)));
    }

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger gcRuns = new AtomicInteger();
    List<Result> gcFailures = new ArrayList<>();
    Thread gc = new Thread(() -> {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!stop.get() && System.nanoTime() < deadline && gcRuns.get() < 200) {
        Result r = jrkt.run("gc", "--grace-period=0s", "--expire-prepared=0s");
        gcRuns.incrementAndGet();
        if (r.exit() != 0) {
          synchronized (gcFailures) {
            gcFailures.add(r);
          }
        }
      }
    });
    gc.start();
    try {
      waitUntilAllRunningOrOneExited(runs, uuidFiles);
    } finally {
      stop.set(true);
      gc.join();
    }

    for (int code = 0; code < PODS; code++) {
      Result r = runs.get(code).await(Jrkt.TIMEOUT);
      assertEquals(code, r.exit(), "exit code of pod " + code + ":\n" + r);
    }
    assertTrue(gcRuns.get() > 0, "gc ran while the pods started");
    assertEquals(List.of(), gcFailures, "gc failed while pods were starting");

    List<String> uuids = new ArrayList<>();
    for (Path f : uuidFiles) {
      uuids.add(Files.readString(f).trim());
    }
    for (int code = 0; code < PODS; code++) {
      assertExited(uuids.get(code), code);
    }
    Map<String, Long> listed = exitCodesFromListJson();
    for (int code = 0; code < PODS; code++) {
      assertEquals(Long.valueOf(code), listed.get(uuids.get(code)), "list --format=json of pod "
          + uuids.get(code));
    }

    // A gc within the grace period marks the pods; they keep their exit codes.
    jrkt.run("gc").ok();
    for (int code = 0; code < PODS; code++) {
      Map<String, String> status = status(uuids.get(code));
      assertEquals("exited garbage", status.get("state"), status.toString());
      assertEquals(String.valueOf(code), status.get("app-" + appNames(uuids.get(code)).get(0)));
    }
  }

  private void waitUntilAllRunningOrOneExited(List<Jrkt.Running> runs, List<Path> uuidFiles)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (runs.stream().anyMatch(r -> !r.process().isAlive())) {
        return;
      }
      if (uuidFiles.stream().allMatch(Files::exists)) {
        long running = jrkt.run("list", "--no-legend").ok().lines().stream()
            .filter(l -> Ids.cells(l).size() > 3 && Ids.cells(l).get(3).equals("running"))
            .count();
        if (running == PODS) {
          return;
        }
      }
      Thread.sleep(100);
    }
  }

  private Map<String, Long> exitCodesFromListJson() {
    Map<String, Long> codes = new java.util.HashMap<>();
    for (Object o : MiniJson.array(MiniJson.parse(jrkt.run("list", "--format=json").ok()
        .out()))) {
      Map<String, Object> pod = MiniJson.object(o);
      Object code = MiniJson.object(MiniJson.array(pod.get("apps")).get(0)).get("exit_code");
      codes.put((String) pod.get("name"), (Long) code);
    }
    return codes;
  }
}
