package io.jrkt.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.sys.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodGcTest {
  private static final String A = "aaaaaaaa-1111-4111-8111-111111111111";
  private static final String B = "bbbbbbbb-2222-4222-8222-222222222222";
  private static final String C = "cccccccc-3333-4333-8333-333333333333";
  private static final String D = "dddddddd-4444-4444-8444-444444444444";
  private static final Duration GRACE = Duration.ofMinutes(30);
  private static final Duration EXPIRE = Duration.ofHours(24);

  @TempDir Path tmp;
  private PodFixtures fx;
  private final List<String> events = new ArrayList<>();
  private final PodGc.Events recorder = new PodGc.Events() {
    @Override
    public void marked(PodUuid uuid, String message) {
      events.add(message);
    }

    @Override
    public void collecting(PodUuid uuid) {
      events.add("collect " + uuid.shortForm());
    }

    @Override
    public void warning(String message) {
      events.add("warning " + message);
    }
  };

  @BeforeEach
  void setUp() {
    fx = new PodFixtures(tmp.resolve("data"));
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.releaseAll();
  }

  private PodGc gcAt(Instant now) {
    return new PodGc(fx.store, new PodGc.Stage1Options(false, null), recorder,
        Clock.fixed(now, ZoneOffset.UTC));
  }

  private PodGc gc() {
    return gcAt(Instant.now());
  }

  private Path podsDir(String state, String uuid) {
    return fx.store.podsDir().resolve(state).resolve(uuid);
  }

  @Test
  void markMovesExitedAndAbortedPodsButNotRunningOrFreshPreparedOnes() throws Exception {
    fx.pod("run", A, "app");
    Process running = fx.holdLock(fx.pod("run", B, "app"));
    fx.pod("prepare", C, "app");
    fx.pod("prepared", D, "app");

    PodGc.Result r = gc().collect(GRACE, EXPIRE, true);

    assertEquals(List.of(new PodUuid(A), new PodUuid(C)), r.marked());
    assertEquals(List.of(), r.deleted());
    assertTrue(Files.isDirectory(podsDir("exited-garbage", A)));
    assertTrue(Files.isDirectory(podsDir("run", B)));
    assertTrue(Files.isDirectory(podsDir("garbage", C)));
    assertTrue(Files.isDirectory(podsDir("prepared", D)));
    assertEquals(List.of("moving pod \"" + A + "\" to garbage",
        "moving failed prepare \"" + C + "\" to garbage"), events);
    fx.release(running);
  }

  @Test
  void theTeardownRunsBeforeDeletionAndItsFailureKeepsThePod() throws Exception {
    fx.pod("run", A, "app");
    fx.pod("run", B, "app");
    List<String> tornDown = new java.util.ArrayList<>();
    PodGc gc = new PodGc(fx.store, new PodGc.Stage1Options(false, null), recorder,
        Clock.systemUTC(), podDir -> {
          tornDown.add(podDir.getFileName().toString());
          if (podDir.getFileName().toString().equals(B)) {
            throw new PodException("DEL failed");
          }
        });
    PodGc.Result r = gc.collect(Duration.ZERO, EXPIRE, false);
    assertEquals(List.of(A, B), tornDown);
    assertEquals(List.of(new PodUuid(A)), r.deleted());
    assertEquals(List.of("cannot garbage collect pod \"" + B + "\": DEL failed"), r.failures());
    assertTrue(Files.isDirectory(podsDir("exited-garbage", B)), "kept for the next gc");
  }

  @Test
  void preparedPodsExpireAndUnlockedEmbryosAreCollectedAtOnce() throws Exception {
    fx.pod("prepared", A, "app");
    fx.pod("embryo", B);
    PodGc.Result fresh = gc().collect(GRACE, EXPIRE, true);
    assertEquals(List.of(new PodUuid(B)), fresh.marked(), "an unlocked embryo is abandoned");
    assertTrue(Files.isDirectory(podsDir("garbage", B)));

    PodGc.Result later = gcAt(Instant.now().plus(EXPIRE).plusSeconds(5)).collect(GRACE, EXPIRE,
        true);
    assertEquals(List.of(new PodUuid(A)), later.marked());
    assertTrue(Files.isDirectory(podsDir("garbage", A)));
  }

  @Test
  void lockedEmbryosOfLiveCreatesAreSpared() throws Exception {
    fx.pod("prepared", A, "app");
    fx.pod("embryo", B);
    Process creator = fx.holdLock(podsDir("embryo", B));
    PodGc.Result r = gc().collect(Duration.ZERO, Duration.ZERO, false);
    assertEquals(List.of(new PodUuid(A)), r.marked());
    assertEquals(List.of(new PodUuid(A)), r.deleted());
    assertTrue(Files.isDirectory(podsDir("embryo", B)));
    fx.release(creator);
  }

  @Test
  void createsRacingAGcAlwaysEndWithALockedPreparingPod() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    List<String> gcFailures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Thread collector = new Thread(() -> {
      while (!done.get()) {
        try {
          gcFailures.addAll(gc().collect(Duration.ZERO, EXPIRE, false).failures());
        } catch (PodException e) {
          gcFailures.add(e.getMessage());
        }
      }
    });
    collector.start();
    try {
      for (int i = 0; i < 300; i++) {
        try (NewPod pod = fx.store.create()) {
          assertEquals(PodState.PREPARING, fx.store.get(pod.uuid()).state());
          assertTrue(Files.isRegularFile(pod.dir().resolve(Pod.CREATED_FILE)));
        }
      }
    } finally {
      done.set(true);
      collector.join();
    }
    assertEquals(List.of(), gcFailures);
  }

  @Test
  void exitedPodsWaitForTheGracePeriodNeverRunOnesDoNot() throws Exception {
    fx.pod("run", A, "app");
    fx.pod("prepare", B, "app");
    PodGc.Result first = gc().collect(GRACE, EXPIRE, false);
    assertEquals(List.of(new PodUuid(B)), first.deleted());
    assertTrue(Files.isDirectory(podsDir("exited-garbage", A)));
    assertFalse(Files.exists(podsDir("garbage", B)));

    PodGc.Result early = gcAt(Instant.now().plus(GRACE).minusSeconds(60)).collect(GRACE, EXPIRE,
        false);
    assertEquals(List.of(), early.deleted());

    PodGc.Result late = gcAt(Instant.now().plus(GRACE).plusSeconds(1)).collect(GRACE, EXPIRE,
        false);
    assertEquals(List.of(new PodUuid(A)), late.deleted());
    assertFalse(Files.exists(podsDir("exited-garbage", A)));
    assertTrue(late.failures().isEmpty(), late.failures().toString());
  }

  @Test
  void podsLockedByAnotherProcessAreSkippedNotFailed() throws Exception {
    Process deleting = fx.holdLock(fx.pod("exited-garbage", A, "app"));
    PodGc.Result r = gc().collect(Duration.ZERO, Duration.ZERO, false);
    assertEquals(List.of(), r.deleted());
    assertEquals(List.of(), r.failures());
    assertTrue(Files.isDirectory(podsDir("exited-garbage", A)));
    fx.release(deleting);
    assertEquals(List.of(new PodUuid(A)),
        gc().collect(Duration.ZERO, Duration.ZERO, false).deleted());
  }

  @Test
  void stage1GcEntrypointRunsInThePodDirWithRktArguments() throws Exception {
    Path pod = fx.pod("run", A, "app");
    Path record = tmp.resolve("gc-record");
    stage1(pod, "5", "#!/bin/sh\necho \"$PWD $*\" > " + record + "\n");
    PodGc gc = new PodGc(fx.store, new PodGc.Stage1Options(true, Path.of("/etc/rkt")), recorder,
        Clock.systemUTC());
    PodGc.Result r = gc.collect(Duration.ZERO, EXPIRE, false);
    assertEquals(List.of(new PodUuid(A)), r.deleted());
    assertEquals(tmp.toRealPath().resolve("data/pods/exited-garbage").resolve(A) + " --debug --local-config=/etc/rkt "
        + A + "\n", Files.readString(record));
  }

  @Test
  void olderStage1sGetNoLocalConfigAndAFailedStage1GcKeepsThePodForTheNextGc()
      throws Exception {
    Path pod = fx.pod("run", A, "app");
    Path record = tmp.resolve("gc-record");
    stage1(pod, "4", "#!/bin/sh\necho \"$*\" > " + record + "\nexit 3\n");
    PodGc gc = new PodGc(fx.store, new PodGc.Stage1Options(false, Path.of("/etc/rkt")),
        recorder, Clock.systemUTC());
    PodGc.Result r = gc.collect(Duration.ZERO, EXPIRE, false);
    assertEquals(A + "\n", Files.readString(record));
    assertEquals(List.of(), r.deleted());
    assertEquals(List.of("cannot garbage collect pod \"" + A + "\": stage1 gc exited with status 3;"
        + " the pod is kept so that the next gc can try again"), r.failures());
    Path kept = tmp.toRealPath().resolve("data/pods/exited-garbage").resolve(A);
    assertTrue(Files.isDirectory(kept));

    // Once the stage1 gc succeeds, the next gc deletes the pod.
    Files.writeString(kept.resolve("stage1/rootfs/gc"), "#!/bin/sh\nexit 0\n");
    r = gc.collect(Duration.ZERO, EXPIRE, false);
    assertEquals(List.of(new PodUuid(A)), r.deleted());
    assertFalse(Files.exists(kept));
  }

  @Test
  void deletionRemovesSymlinksWithoutFollowingThem() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("precious"), "keep");
    Path pod = fx.pod("garbage", A, "app");
    Path rootfs = Files.createDirectories(pod.resolve("stage1/rootfs/opt/stage2/app/rootfs"));
    Files.createSymbolicLink(rootfs.resolve("escape"), outside);
    Files.createSymbolicLink(rootfs.resolve("root"), Path.of("/"));
    Path locked = Files.createDirectories(rootfs.resolve("locked/deeper"));
    Files.writeString(locked.resolve("f"), "x");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));

    PodGc.Result r = gc().collect(GRACE, EXPIRE, false);

    assertEquals(List.of(new PodUuid(A)), r.deleted(), r.failures().toString());
    assertFalse(Files.exists(pod));
    assertEquals("keep", Files.readString(outside.resolve("precious")));
  }

  @Test
  void refusesToDeleteAnythingButPodDirectories() throws Exception {
    Path pods = fx.store.podsDir();
    Files.createDirectories(pods.resolve("garbage"));
    for (Path bad : new Path[] {pods, pods.resolve("garbage"), pods.resolve("garbage/x"),
        pods.resolve("elsewhere").resolve(A), tmp.resolve(A), Path.of("/"),
        pods.resolve("garbage").resolve(A).resolve("..").resolve("..").resolve("..")}) {
      PodException e = assertThrows(PodException.class, () -> PodTree.remove(pods, bad),
          bad.toString());
      assertTrue(e.getMessage().startsWith("refusing to delete "), e.getMessage());
    }
    assertThrows(PodException.class, () -> PodTree.remove(Path.of("/"), Path.of("/garbage/" + A)));
    assertTrue(Files.isDirectory(pods.resolve("garbage")));
  }

  @Test
  void refusesAStateDirectoryThatIsASymlinkOutOfThePodsDir() throws Exception {
    Path victim = Files.createDirectories(tmp.resolve("victim").resolve(A));
    Files.writeString(victim.resolve("data"), "keep");
    Path pods = Files.createDirectories(fx.store.podsDir());
    Files.createSymbolicLink(pods.resolve("garbage"), tmp.resolve("victim"));
    PodGc.Result r = gc().collect(Duration.ZERO, Duration.ZERO, false);
    assertEquals(List.of(), r.deleted());
    assertEquals(1, r.failures().size(), r.failures().toString());
    assertTrue(r.failures().get(0).contains("resolves outside"), r.failures().get(0));
    assertEquals("keep", Files.readString(victim.resolve("data")));
  }

  @Test
  void unmountsWhatIsStillMountedInThePodBeforeDeleting() throws Exception {
    Native.load();
    Assumptions.assumeTrue(Native.geteuid() == 0, "mounting needs root");
    Path pod = fx.pod("run", A, "app");
    Path target = Files.createDirectories(pod.resolve("stage1/rootfs/opt/stage2/app/rootfs"));
    Path inner = target.resolve("data");
    try {
      mount("-t", "tmpfs", "jrkt-test", target.toString());
      Files.createDirectories(inner);
      mount("-t", "tmpfs", "jrkt-test", inner.toString());
      Files.writeString(inner.resolve("f"), "x");
      PodGc.Result r = gc().collect(Duration.ZERO, EXPIRE, false);
      assertEquals(List.of(new PodUuid(A)), r.deleted(), r.failures().toString());
      assertFalse(Files.exists(podsDir("exited-garbage", A)));
      assertEquals(List.of(), MountTable.read().under(tmp.toRealPath()));
    } finally {
      for (Path p : new Path[] {inner, target}) {
        new ProcessBuilder("umount", "-l", p.toString()).redirectErrorStream(true).start()
            .waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void rmRefusesRunningPodsAndRemovesOthers() throws Exception {
    Process running = fx.holdLock(fx.pod("run", A, "app"));
    fx.pod("prepared", B, "app");
    fx.pod("run", C, "app");
    PodGc gc = gc();
    assertEquals("pod \"" + A + "\" is currently running",
        assertThrows(PodException.class, () -> gc.remove(new PodUuid(A))).getMessage());
    gc.remove(new PodUuid(B));
    gc.remove(new PodUuid(C));
    assertFalse(Files.exists(podsDir("prepared", B)));
    assertFalse(Files.exists(podsDir("garbage", B)));
    assertFalse(Files.exists(podsDir("exited-garbage", C)));
    assertThrows(PodNotFoundException.class, () -> gc.remove(new PodUuid(C)));
    assertTrue(Files.isDirectory(podsDir("run", A)));
    fx.release(running);
  }

  @Test
  void theSweepDeletesPodsInParallelAndReportsInPodOrder() throws Exception {
    List<String> uuids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String uuid = String.format("%08x-1111-4111-8111-111111111111", i);
      uuids.add(uuid);
      fx.pod(i % 2 == 0 ? "run" : "prepare", uuid, "app");
    }
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch overlap = new CountDownLatch(4);
    PodGc gc = new PodGc(fx.store, new PodGc.Stage1Options(false, null), new PodGc.Events() {},
        Clock.systemUTC(), podDir -> {
          most.accumulateAndGet(busy.incrementAndGet(), Math::max);
          overlap.countDown();
          try {
            // The first four wait for each other: a sequential sweep would time out here.
            overlap.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
          busy.decrementAndGet();
          if (podDir.getFileName().toString().startsWith("00000003")) {
            throw new PodException("DEL failed");
          }
        }, 4);
    long start = System.nanoTime();
    PodGc.Result r = gc.collect(Duration.ZERO, EXPIRE, false);
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "the workers overlapped");
    assertEquals(4, most.get());
    // Exited pods first, then failed prepares; each group in directory order, as sequentially.
    List<PodUuid> expected = new ArrayList<>();
    for (int parity = 0; parity < 2; parity++) {
      for (int i = parity; i < uuids.size(); i += 2) {
        if (i != 3) {
          expected.add(new PodUuid(uuids.get(i)));
        }
      }
    }
    assertEquals(expected, r.deleted());
    assertEquals(List.of("cannot garbage collect pod \"" + uuids.get(3) + "\": DEL failed"),
        r.failures());
    assertTrue(Files.isDirectory(podsDir("garbage", uuids.get(3))), "kept for the next gc");
    assertEquals(1, fx.store.list().size());
  }

  @Test
  void aWorkerCountBelowOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PodGc(fx.store,
        new PodGc.Stage1Options(false, null), recorder, PodGc.Teardown.NONE, 0));
  }

  @Test
  void concurrentGcsShareTheWorkWithoutErrors() throws Exception {
    List<String> uuids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String uuid = PodUuid.random().value();
      uuids.add(uuid);
      fx.pod(i % 2 == 0 ? "run" : "prepare", uuid, "app");
    }
    List<PodGc.Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        try {
          results.add(new PodGc(fx.store, new PodGc.Stage1Options(false, null),
              new PodGc.Events() {}).collect(Duration.ZERO, Duration.ZERO, false));
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(List.of(), errors);
    List<PodUuid> deleted = new ArrayList<>();
    for (PodGc.Result r : results) {
      assertEquals(List.of(), r.failures());
      deleted.addAll(r.deleted());
    }
    assertEquals(uuids.size(), deleted.size(), "each pod deleted exactly once");
    assertEquals(uuids.size(), new java.util.HashSet<>(deleted).size());
    assertEquals(List.of(), fx.store.list());
  }

  @Test
  void runPreparedAndExpiryNeverBothTakeAPod() throws Exception {
    List<PodUuid> uuids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      PodUuid uuid = PodUuid.random();
      uuids.add(uuid);
      fx.pod("prepared", uuid.value(), "app");
    }
    List<PreparedPod> started = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread runner = new Thread(() -> {
      for (PodUuid u : uuids) {
        try {
          started.add(fx.store.lockPrepared(u));
        } catch (PodException e) {
          // gc got it first: fine
        }
      }
    });
    runner.start();
    PodGc.Result r = gc().collect(GRACE, Duration.ZERO, false);
    runner.join();
    try {
      assertEquals(List.of(), r.failures());
      assertEquals(uuids.size(), started.size() + r.deleted().size());
      for (PreparedPod p : started) {
        assertFalse(r.deleted().contains(p.uuid()));
        assertEquals(PodState.RUNNING, fx.store.get(p.uuid()).state());
      }
    } finally {
      started.forEach(PreparedPod::close);
    }
  }

  @Test
  void negativeDurationsAreRejected() {
    PodException e = assertThrows(PodException.class,
        () -> gc().collect(Duration.ofSeconds(-1), EXPIRE, false));
    assertTrue(e.getMessage().contains("must not be negative"), e.getMessage());
  }

  private static void stage1(Path pod, String interfaceVersion, String gcScript)
      throws Exception {
    Files.createDirectories(pod.resolve("stage1/rootfs"));
    Files.writeString(pod.resolve("stage1/manifest"), "{\"acKind\":\"ImageManifest\","
        + "\"acVersion\":\"0.8.11\",\"name\":\"coreos.com/rkt/stage1-fly\",\"annotations\":["
        + "{\"name\":\"coreos.com/rkt/stage1/gc\",\"value\":\"/gc\"},"
        + "{\"name\":\"coreos.com/rkt/stage1/interface-version\",\"value\":\""
        + interfaceVersion + "\"}]}");
    Path gc = pod.resolve("stage1/rootfs/gc");
    Files.writeString(gc, gcScript);
    Files.setPosixFilePermissions(gc, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void mount(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("mount"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "mount failed: " + out);
  }
}
