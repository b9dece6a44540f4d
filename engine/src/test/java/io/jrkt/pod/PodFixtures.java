package io.jrkt.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Hand-made pod directories and lock holders for tests. */
final class PodFixtures {
  private final List<Process> holders = new ArrayList<>();
  private final Map<Process, Path> locked = new HashMap<>();
  final Path dataDir;
  final PodStore store;

  PodFixtures(Path dataDir) {
    this.dataDir = dataDir;
    this.store = new PodStore(dataDir);
  }

  /** Creates {@code pods/<state>/<uuid>} with a pod manifest listing {@code apps}. */
  Path pod(String stateDir, String uuid, String... apps) throws IOException {
    Path dir = store.podsDir().resolve(stateDir).resolve(uuid);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("pod"), manifest(apps));
    Files.createFile(dir.resolve("pod-created"));
    return dir;
  }

  static String manifest(String... apps) {
    StringBuilder sb = new StringBuilder("{\"acVersion\":\"1.30.0\",\"acKind\":\"PodManifest\","
        + "\"apps\":[");
    for (int i = 0; i < apps.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"name\":\"").append(apps[i]).append("\",\"image\":{\"name\":\"example.com/")
          .append(apps[i]).append("\",\"id\":\"sha512-").append("0123456789abcdef".repeat(4))
          .append("\",\"labels\":[{\"name\":\"version\",\"value\":\"1.0\"}]}}");
    }
    return sb.append("],\"volumes\":null,\"isolators\":null,\"annotations\":null,"
        + "\"ports\":null}").toString();
  }

  /** Writes the exit code the stage1 would record for {@code app}. */
  static void exitCode(Path podDir, String app, int code) throws IOException {
    Path status = podDir.resolve("stage1/rootfs/rkt/status");
    Files.createDirectories(status);
    Files.writeString(status.resolve(app), Integer.toString(code), StandardCharsets.US_ASCII);
  }

  /**
   * Starts {@code flock -x -o DIR sleep} (the lock is held by flock itself, not by the sleep) and
   * waits until the lock is held.
   */
  Process holdLock(Path dir) throws Exception {
    Process p = new ProcessBuilder("flock", "-x", "-o", dir.toString(), "sleep", "60")
        .redirectErrorStream(true).start();
    holders.add(p);
    locked.put(p, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (DirLock probe = DirLock.openIfPresent(dir)) {
        if (probe != null && !probe.tryShared()) {
          return p;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("flock did not take the lock on " + dir);
  }

  /**
   * Ends a lock holder and waits until its lock is free. Waiting for the flock process is not
   * enough: a child it forked holds a copy of the locked descriptor until it closes it before exec.
   */
  void release(Process holder) throws InterruptedException {
    List<ProcessHandle> children = holder.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    holder.destroy();
    holder.waitFor(10, TimeUnit.SECONDS);
    Path dir = locked.remove(holder);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (dir != null && System.nanoTime() < deadline) {
      try (DirLock probe = DirLock.openIfPresent(dir)) {
        if (probe == null || probe.tryExclusive()) {
          return;
        }
      } catch (PodException e) {
        throw new AssertionError(e);
      }
      Thread.sleep(10);
    }
    if (dir != null) {
      throw new AssertionError("the lock on " + dir + " is still held after its holder ended");
    }
  }

  void releaseAll() throws InterruptedException {
    for (Process p : List.copyOf(holders)) {
      release(p);
    }
  }
}
