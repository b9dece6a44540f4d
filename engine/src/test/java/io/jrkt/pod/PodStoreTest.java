package io.jrkt.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodStoreTest {
  private static final String A = "aaaaaaaa-1111-4111-8111-111111111111";
  private static final String B = "aaaabbbb-2222-4222-8222-222222222222";
  private static final String C = "cccccccc-3333-4333-8333-333333333333";

  @TempDir Path tmp;
  private PodFixtures fx;
  private PodStore store;

  @BeforeEach
  void setUp() {
    fx = new PodFixtures(tmp.resolve("data"));
    store = fx.store;
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.releaseAll();
  }

  @Test
  void createdPodIsPreparingUntilMarkedPrepared() throws Exception {
    try (NewPod pod = store.create()) {
      Path dir = store.podsDir().resolve("prepare").resolve(pod.uuid().value());
      assertEquals(dir, pod.dir());
      assertTrue(Files.exists(dir.resolve("pod-created")));
      assertEquals(0600, (Integer) Files.getAttribute(dir.resolve("pod.lck"), "unix:mode",
          LinkOption.NOFOLLOW_LINKS) & 07777);
      assertFalse(Files.exists(store.podsDir().resolve("embryo").resolve(pod.uuid().value())));
      assertEquals(PodState.PREPARING, store.get(pod.uuid()).state());
      int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      assertEquals(02750, mode & 07777);

      pod.markPrepared();
      assertEquals(store.podsDir().resolve("prepared").resolve(pod.uuid().value()), pod.dir());
      Pod p = store.get(pod.uuid());
      assertEquals(PodState.PREPARED, p.state());
      assertTrue(p.created().isAfter(java.time.Instant.now().minusSeconds(60)));
      assertTrue(p.started().isEmpty());
    }
  }

  @Test
  void closingWithoutMarkLeavesAnAbortedPrepare() throws Exception {
    PodUuid uuid;
    try (NewPod pod = store.create()) {
      uuid = pod.uuid();
    }
    assertEquals(PodState.ABORTED_PREPARE, store.get(uuid).state());
  }

  @Test
  void markRunningKeepsTheLockUntilClosed() throws Exception {
    NewPod pod = store.create();
    Path dir = pod.markRunning();
    assertEquals(store.podsDir().resolve("run").resolve(pod.uuid().value()), dir);
    assertEquals(PodState.RUNNING, store.get(pod.uuid()).state());
    pod.close();
    assertEquals(PodState.EXITED, store.get(pod.uuid()).state());
  }

  @Test
  void runPreparedTakesAPreparedPodOnce() throws Exception {
    PodUuid uuid;
    try (NewPod pod = store.create()) {
      uuid = pod.uuid();
      pod.markPrepared();
    }
    try (PreparedPod running = store.lockPrepared(uuid)) {
      assertEquals(store.podsDir().resolve("run").resolve(uuid.value()), running.dir());
      assertEquals(PodState.RUNNING, store.get(uuid).state());
      PodException again = assertThrows(PodException.class, () -> store.lockPrepared(uuid));
      assertEquals("pod \"" + uuid + "\" is not prepared (state: running)", again.getMessage());
    }
    assertEquals(PodState.EXITED, store.get(uuid).state());
  }

  @Test
  void runPreparedGivesUpOnAPodLockedByAnotherProcess() throws Exception {
    Path dir = fx.pod("prepared", A, "app");
    fx.holdLock(dir);
    PodStore impatient = new PodStore(fx.dataDir, Duration.ofMillis(50));
    PodException e = assertThrows(PodException.class,
        () -> impatient.lockPrepared(new PodUuid(A)));
    assertEquals("pod \"" + A + "\" is locked by another process", e.getMessage());
    assertTrue(Files.isDirectory(dir));
  }

  @Test
  void stateComesFromDirectoryAndLockOfAnotherProcess() throws Exception {
    Path run = fx.pod("run", A, "app");
    Process holder = fx.holdLock(run);
    assertEquals(PodState.RUNNING, store.get(new PodUuid(A)).state());
    fx.release(holder);
    assertEquals(PodState.EXITED, store.get(new PodUuid(A)).state());

    Path exitedGarbage = fx.pod("exited-garbage", B, "app");
    holder = fx.holdLock(exitedGarbage);
    assertEquals(PodState.EXITED_DELETING, store.get(new PodUuid(B)).state());
    fx.release(holder);
    assertEquals(PodState.EXITED_GARBAGE, store.get(new PodUuid(B)).state());

    Path garbage = fx.pod("garbage", C, "app");
    holder = fx.holdLock(garbage);
    assertEquals(PodState.DELETING, store.get(new PodUuid(C)).state());
    fx.release(holder);
    assertEquals(PodState.GARBAGE, store.get(new PodUuid(C)).state());
  }

  @Test
  void resolvesUniquePrefixes() throws Exception {
    fx.pod("run", A);
    fx.pod("prepared", B);
    fx.pod("exited-garbage", C);
    assertEquals(new PodUuid(A), store.resolve("aaaaaaaa"));
    assertEquals(new PodUuid(B), store.resolve("AAAAB"));
    assertEquals(new PodUuid(C), store.resolve(C));
    assertEquals("ambiguous uuid, 2 matches",
        assertThrows(PodNotFoundException.class, () -> store.resolve("aaaa")).getMessage());
    assertEquals("no matches found for \"abc\"",
        assertThrows(PodNotFoundException.class, () -> store.resolve("abc")).getMessage());
    assertEquals("no matches found for \"\"",
        assertThrows(PodNotFoundException.class, () -> store.resolve("")).getMessage());
    assertEquals("no matches found for \"" + C + "0\"",
        assertThrows(PodNotFoundException.class, () -> store.resolve(C + "0")).getMessage());
  }

  @Test
  void listsAllStateDirsInLifecycleOrderSkippingStrangers() throws Exception {
    fx.pod("garbage", A);
    fx.pod("run", B);
    fx.pod("prepared", C);
    fx.pod("embryo", "dddddddd-4444-4444-8444-444444444444");
    Files.createDirectories(store.podsDir().resolve("run").resolve("not-a-uuid"));
    List<String> all = store.list().stream().map(p -> p.uuid().shortForm() + " "
        + p.state().label()).collect(Collectors.toList());
    assertEquals(List.of("dddddddd embryo", "cccccccc prepared", "aaaabbbb exited",
        "aaaaaaaa garbage"), all);
    List<String> shown = store.listShown().stream().map(p -> p.uuid().shortForm())
        .collect(Collectors.toList());
    assertEquals(List.of("cccccccc", "aaaabbbb"), shown);
  }

  @Test
  void listOfAnEmptyDataDirIsEmpty() throws Exception {
    assertEquals(List.of(), store.list());
  }

  @Test
  void waitFinishedTimesOutOnARunningPodAndReturnsWhenItExits() throws Exception {
    Path run = fx.pod("run", A, "app");
    Process holder = fx.holdLock(run);
    PodWaitTimeoutException e = assertThrows(PodWaitTimeoutException.class,
        () -> store.waitFinished(new PodUuid(A), Duration.ofMillis(150)));
    assertTrue(e.getMessage().contains("(state: running)"), e.getMessage());

    Thread releaser = new Thread(() -> {
      try {
        Thread.sleep(200);
        fx.release(holder);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    releaser.start();
    long start = System.nanoTime();
    Pod done = store.waitFinished(new PodUuid(A), null);
    releaser.join();
    assertEquals(PodState.EXITED, done.state());
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos());
  }

  @Test
  void waitReadyFollowsTheSupervisorStatusLink() throws Exception {
    Path run = fx.pod("run", A, "app");
    Process holder = fx.holdLock(run);
    assertThrows(PodWaitTimeoutException.class,
        () -> store.waitReady(new PodUuid(A), Duration.ofMillis(120)));
    Path rkt = Files.createDirectories(run.resolve("stage1/rootfs/rkt"));
    Files.createSymbolicLink(rkt.resolve("supervisor-status"), Path.of("ready"));
    assertTrue(store.waitReady(new PodUuid(A), Duration.ofSeconds(5)).supervisorReady());
    fx.release(holder);
    PodException e = assertThrows(PodException.class,
        () -> store.waitReady(new PodUuid(A), null));
    assertEquals("pod \"" + A + "\" is exited; it will never be ready", e.getMessage());
  }

  @Test
  void podReadsStartedTimePidExitCodesAndNetworks() throws Exception {
    Path dir = fx.pod("run", A, "web", "db");
    Pod pod = store.get(new PodUuid(A));
    assertTrue(pod.started().isEmpty());
    assertTrue(pod.pid().isEmpty());
    Files.writeString(dir.resolve("pid"), "4242\n");
    PodFixtures.exitCode(dir, "db", 3);
    Files.writeString(dir.resolve("net-info.json"), "[{\"netName\":\"default\","
        + "\"netConf\":\"net/99-default.conf\",\"pluginPath\":\"/p\",\"ifName\":\"eth0\","
        + "\"ip\":\"172.16.28.5\",\"args\":\"\",\"mask\":\"255.255.255.0\"}]");
    assertEquals(4242, pod.pid().getAsInt());
    assertEquals(Files.getLastModifiedTime(dir.resolve("pid")).toInstant(),
        pod.started().orElseThrow());
    assertEquals(java.util.Map.of("db", 3), pod.appExitCodes());
    assertEquals(List.of(new NetInfo("default", "172.16.28.5", "eth0", "255.255.255.0")),
        pod.networks());
    assertEquals("default:ip4=172.16.28.5", pod.networks().get(0).display());
  }

  @Test
  void overlayPodsKeepStage1FilesInTheUpperLayer() throws Exception {
    Path dir = fx.pod("run", A, "web");
    Files.createFile(dir.resolve("overlay-prepared"));
    String treeId = "deps-sha512-" + "ab".repeat(32);
    Files.writeString(dir.resolve("stage1TreeStoreID"), treeId);
    Path status = dir.resolve("overlay").resolve(treeId).resolve("upper/rkt/status");
    Files.createDirectories(status);
    Files.writeString(status.resolve("web"), "7");
    assertEquals(7, store.get(new PodUuid(A)).appExitCode("web").getAsInt());
  }

  @Test
  void ppidFileNamesTheParentOfThePodsFirstProcess() throws Exception {
    Path dir = fx.pod("run", A, "web");
    Process parent = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
    try {
      Files.writeString(dir.resolve("ppid"), Long.toString(parent.pid()));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      java.util.OptionalInt pid = java.util.OptionalInt.empty();
      while (pid.isEmpty() && System.nanoTime() < deadline) {
        pid = store.get(new PodUuid(A)).pid();
        Thread.sleep(10);
      }
      long child = parent.children().findFirst().orElseThrow().pid();
      assertEquals(child, pid.getAsInt());
    } finally {
      parent.descendants().forEach(ProcessHandle::destroy);
      parent.destroy();
    }
  }

  @Test
  void uuidParsingIsStrict() throws Exception {
    assertEquals(A, PodUuid.parse(A.toUpperCase()).value());
    assertEquals("aaaaaaaa", PodUuid.parse(A).shortForm());
    assertThrows(PodException.class, () -> PodUuid.parse("aaaaaaaa-1111-4111-8111-11111111111"));
    assertThrows(PodException.class, () -> PodUuid.parse("aaaaaaaa_1111-4111-8111-111111111111"));
    assertThrows(IllegalArgumentException.class, () -> new PodUuid("../etc"));
    assertTrue(PodUuid.isCanonical(PodUuid.random().value()));
  }
}
