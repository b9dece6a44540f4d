package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of fetch and prepare at random moments: afterwards nothing is listed as valid
 * that is not, and the next gc cleans up what was left.
 */
class KillTest extends FunctionalTest {
  private static final int ROUNDS = 6;
  private static final int PAYLOAD_MB = 24;
  private static final long SEED = Long.getLong("jrkt.kill.seed", System.nanoTime());
  private final Random random = new Random(SEED);
  private byte[] payload;

  private byte[] payload() {
    if (payload == null) {
      payload = new byte[PAYLOAD_MB << 20];
      new Random(42).nextBytes(payload);
    }
    return payload;
  }

  /** A big image; {@code n} makes its ID unique. */
  private Aci bigImage(String name, int n) {
    return Aci.busybox("example.com/" + name).file("/data/payload.bin", payload())
        .file("/etc/round", String.valueOf(n)).compression(Compression.NONE);
  }

  @Test
  void killedFetchesLeaveNoInvalidImage() throws IOException {
    long full = timed(() -> jrkt.fetch(bigImage("kill-fetch", -1)
        .write(jrkt.work(), "kill-fetch-calibration.aci")));
    Map<String, Aci> known = new HashMap<>();

    for (int round = 0; round < ROUNDS; round++) {
      Aci aci = bigImage("kill-fetch", round);
      known.put(aci.imageId(), aci);
      Path file = aci.write(jrkt.work(), "kill-fetch-" + round + ".aci");
      long delay = delay(full);
      Jrkt.Running fetch = jrkt.start(List.of(Jrkt.INSECURE, "fetch", file.toString()));
      sleep(delay);
      fetch.kill9();
      Files.delete(file);

      assertEveryListedImageIsValid(known, "after killing fetch " + round + " at " + delay
          + " ms (seed " + SEED + ")");
      assertEquals(List.of(), jrkt.run("list", "--no-legend").ok().lines());
    }

    jrkt.run("gc", "--grace-period=0s").ok();
    jrkt.run("image", "gc").ok();
    assertNoScratchLeft();
    Aci again = bigImage("kill-fetch", 0);
    assertEquals(Ids.shortId(again.imageId()), jrkt.fetch(again.write(jrkt.work(),
        "kill-fetch-again.aci")), "a killed fetch does not poison the store");
  }

  @Test
  void killedPreparesLeaveNoInvalidPod() throws IOException {
    Path image = bigImage("kill-prepare", 0).exec("/bin/sh", "-c", "test -s /data/payload.bin")
        .write(jrkt.work(), "kill-prepare.aci");
    jrkt.fetch(image);
    long full = timed(() -> jrkt.prepare(List.of(image.toString())));

    List<String> ranFine = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      long delay = delay(full);
      Jrkt.Running prepare = jrkt.start(List.of(Jrkt.INSECURE, "prepare", "--quiet", Jrkt.FLY,
          image.toString()));
      sleep(delay);
      prepare.kill9();
      String when = "after killing prepare " + round + " at " + delay + " ms (seed " + SEED + ")";

      for (Object o : MiniJson.array(MiniJson.parse(jrkt.run("list", "--format=json").ok()
          .out()))) {
        Map<String, Object> pod = MiniJson.object(o);
        String uuid = (String) pod.get("name");
        String state = (String) pod.get("state");
        assertTrue(List.of("prepared", "aborted prepare", "embryo", "garbage", "exited",
            "exited garbage").contains(state), when + ": pod " + uuid + " is " + state);
        if (state.equals("prepared")) {
          Result r = jrkt.run("run-prepared", uuid);
          assertEquals(0, r.exit(), when + ": a pod listed as prepared must run:\n" + r);
          ranFine.add(uuid);
        }
      }
    }

    jrkt.run("gc", "--grace-period=0s", "--expire-prepared=0s").ok();
    jrkt.run("image", "gc").ok();
    assertEquals(List.of(), jrkt.podDirs(), "gc collects aborted and exited pods");
    assertEquals(List.of(), jrkt.run("list", "--no-legend").ok().lines());
    assertNoScratchLeft();
    assertEquals(List.of(), jrkt.mountsBelowRoot());
  }

  private void assertEveryListedImageIsValid(Map<String, Aci> known, String when)
      throws IOException {
    List<Object> images = MiniJson.array(MiniJson.parse(
        jrkt.run("image", "list", "--format=json").ok().out()));
    for (Object o : images) {
      String id = (String) MiniJson.object(o).get("id");
      if (!known.containsKey(id)) {
        continue; // the calibration image
      }
      Path out = jrkt.work().resolve("kill-export.aci");
      Files.deleteIfExists(out);
      Result r = jrkt.run("image", "export", id, out.toString());
      assertEquals(0, r.exit(), when + ": listed image " + id + " cannot be exported:\n" + r);
      assertEquals(id, Aci.fullSha512(Files.readAllBytes(out)).substring(0, 71),
          when + ": listed image " + id + " has other content");
      Files.delete(out);
    }
  }

  /** No half-written download or half-rendered tree survives gc. */
  private void assertNoScratchLeft() throws IOException {
    Path tmp = jrkt.data().resolve("cas/tmp");
    if (Files.isDirectory(tmp)) {
      try (Stream<Path> s = Files.list(tmp)) {
        assertEquals(List.of(), s.toList(), "cas/tmp after gc");
      }
    }
    Path trees = jrkt.data().resolve("cas/tree");
    if (Files.isDirectory(trees)) {
      try (Stream<Path> s = Files.list(trees)) {
        for (Path t : s.toList()) {
          assertTrue(Files.exists(t.resolve("rendered")), "unfinished tree " + t + " after gc");
        }
      }
    }
  }

  private long delay(long fullMillis) {
    return (long) (random.nextDouble() * fullMillis * 1.1);
  }

  private static long timed(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return Math.max(1, (System.nanoTime() - start) / 1_000_000);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
