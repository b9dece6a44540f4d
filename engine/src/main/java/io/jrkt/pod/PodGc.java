package io.jrkt.pod;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * rkt's pod garbage collection, mark and sweep, and the removal of single pods ({@code rm}).
 *
 * <p>Mark: exited pods ({@code run/}, unlocked) move to {@code exited-garbage/}; failed prepares
 * ({@code prepare/}, unlocked), prepared pods older than the expiry, and stale embryos move to
 * {@code garbage/}. The move sets the directory's ctime, which is the mark time.
 *
 * <p>Sweep: {@code exited-garbage/} pods marked longer ago than the grace period, and every
 * {@code garbage/} pod, are locked exclusively, handed to the stage1's {@code gc} entrypoint (pods
 * that ran), unmounted and deleted.
 *
 * <p>Concurrency: every step takes the pod's lock without waiting; a pod that is locked, or that
 * vanishes because a concurrent gc or rm got it first, is skipped. Only paths of the form
 * {@code <pods dir>/<state>/<uuid>} are ever deleted. The sweep deletes up to {@code workers}
 * pods at once: each deletion touches only its own pod (under that pod's lock) and what the
 * pod's own records name, and most of its time is spent waiting for other processes (network
 * plugins, the stage1's gc), so pods do not wait for each other.
 */
public final class PodGc {
  /** What the gc reports as it goes. */
  public interface Events {
    /** A pod was moved to a garbage directory; {@code message} says which and why. */
    default void marked(PodUuid uuid, String message) {}

    /** A pod is about to be deleted. */
    default void collecting(PodUuid uuid) {}

    /** Something failed that does not stop the gc (e.g. the stage1 gc entrypoint failed). */
    default void warning(String message) {}
  }

  /**
   * How the stage1 {@code gc} entrypoint is called.
   *
   * @param debug pass {@code --debug}
   * @param localConfig passed as {@code --local-config=DIR} to stage1s of interface version >= 5;
   *     may be null
   */
  public record Stage1Options(boolean debug, Path localConfig) {}

  /** The outcome of a gc run or a removal: pods marked and deleted, and per-pod failures. */
  public record Result(List<PodUuid> marked, List<PodUuid> deleted, List<String> failures) {
    public Result {
      marked = List.copyOf(marked);
      deleted = List.copyOf(deleted);
      failures = List.copyOf(failures);
    }
  }

  /**
   * Undoes what stage0 set up for a pod outside its directory (its networks), from the records
   * in the directory; a no-op for a pod without any. A failure keeps the pod for the next gc.
   */
  public interface Teardown {
    Teardown NONE = podDir -> {};

    void tearDown(Path podDir) throws PodException;
  }

  private final PodStore store;
  private final Stage1Options stage1;
  private final Events events;
  private final Clock clock;
  private final Teardown teardown;
  private final int workers;

  public PodGc(PodStore store, Stage1Options stage1, Events events) {
    this(store, stage1, events, Clock.systemUTC(), Teardown.NONE);
  }

  public PodGc(PodStore store, Stage1Options stage1, Events events, Teardown teardown) {
    this(store, stage1, events, Clock.systemUTC(), teardown, 1);
  }

  /**
   * @param workers how many pods the sweep deletes at once (at least 1); {@code events} and
   *     {@code teardown} must then be safe to call from several threads
   */
  public PodGc(PodStore store, Stage1Options stage1, Events events, Teardown teardown,
      int workers) {
    this(store, stage1, events, Clock.systemUTC(), teardown, workers);
  }

  PodGc(PodStore store, Stage1Options stage1, Events events, Clock clock) {
    this(store, stage1, events, clock, Teardown.NONE, 1);
  }

  PodGc(PodStore store, Stage1Options stage1, Events events, Clock clock, Teardown teardown) {
    this(store, stage1, events, clock, teardown, 1);
  }

  PodGc(PodStore store, Stage1Options stage1, Events events, Clock clock, Teardown teardown,
      int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("gc workers must be at least 1, got " + workers);
    }
    this.workers = workers;
    this.store = store;
    this.stage1 = stage1;
    this.events = events;
    this.clock = clock;
    this.teardown = teardown;
  }

  /**
   * A full gc.
   *
   * @param gracePeriod how long exited pods stay in exited-garbage/ before deletion
   * @param expirePrepared how long prepared pods may wait for run-prepared
   * @param markOnly mark only, delete nothing
   */
  public Result collect(Duration gracePeriod, Duration expirePrepared, boolean markOnly)
      throws PodException {
    requireNonNegative(gracePeriod, "grace period");
    requireNonNegative(expirePrepared, "prepared-pod expiry");
    List<PodUuid> marked = new ArrayList<>();
    List<PodUuid> deleted = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    markExited(marked, failures);
    markAbortedPrepares(marked, failures);
    markExpired(StateDir.PREPARED, expirePrepared, "expired prepared pod", marked, failures);
    // An embryo gc can lock is dead or not yet locked by its creator, who then starts again.
    markExpired(StateDir.EMBRYO, Duration.ZERO, "abandoned embryo", marked, failures);
    if (!markOnly) {
      List<Pod> due = new ArrayList<>(due(StateDir.EXITED_GARBAGE, gracePeriod));
      due.addAll(due(StateDir.GARBAGE, Duration.ZERO));
      sweep(due, deleted, failures);
    }
    return new Result(marked, deleted, failures);
  }

  /**
   * {@code rm}: removes one pod that is not running, being prepared or being deleted.
   *
   * @throws PodException naming the pod and why it cannot be removed
   */
  public void remove(PodUuid uuid) throws PodException {
    Pod pod = store.get(uuid);
    switch (pod.state()) {
      case RUNNING:
        throw new PodException("pod \"" + uuid + "\" is currently running");
      case EMBRYO:
      case PREPARING:
        throw new PodException("pod \"" + uuid + "\" is currently being prepared");
      case DELETING:
      case EXITED_DELETING:
        throw new PodException("pod \"" + uuid + "\" is currently being deleted");
      case ABORTED_PREPARE:
      case PREPARED:
        if (!moveLocked(pod, StateDir.GARBAGE, true)) {
          throw new PodException("pod \"" + uuid + "\" is locked by another process");
        }
        break;
      case EXITED:
        if (!moveLocked(pod, StateDir.EXITED_GARBAGE, false)) {
          throw new PodException("pod \"" + uuid + "\" is locked by another process");
        }
        break;
      case EXITED_GARBAGE:
      case GARBAGE:
        break;
      default:
        throw new AssertionError(pod.state());
    }
    Pod marked = store.get(uuid);
    if (!delete(marked)) {
      throw new PodException("pod \"" + uuid + "\" is currently being deleted");
    }
  }

  private void markExited(List<PodUuid> marked, List<String> failures) throws PodException {
    for (String name : PodStore.entries(store.stateDir(StateDir.RUN))) {
      PodUuid uuid = new PodUuid(name);
      Pod pod = new Pod(uuid, PodState.EXITED, store.podDir(StateDir.RUN, uuid));
      tryMark(pod, StateDir.EXITED_GARBAGE, false, "moving pod \"" + uuid + "\" to garbage",
          marked, failures);
    }
  }

  private void markAbortedPrepares(List<PodUuid> marked, List<String> failures)
      throws PodException {
    for (String name : PodStore.entries(store.stateDir(StateDir.PREPARE))) {
      PodUuid uuid = new PodUuid(name);
      Pod pod = new Pod(uuid, PodState.ABORTED_PREPARE, store.podDir(StateDir.PREPARE, uuid));
      tryMark(pod, StateDir.GARBAGE, false,
          "moving failed prepare \"" + uuid + "\" to garbage", marked, failures);
    }
  }

  /** Moves pods of {@code from} that have been there longer than {@code maxAge} to garbage/. */
  private void markExpired(StateDir from, Duration maxAge, String what, List<PodUuid> marked,
      List<String> failures) throws PodException {
    Instant now = clock.instant();
    for (String name : PodStore.entries(store.stateDir(from))) {
      PodUuid uuid = new PodUuid(name);
      Path dir = store.podDir(from, uuid);
      // The ctime is the time of the move into this directory (or of the mkdir, for embryos).
      Optional<Instant> since = Pod.ctime(dir);
      if (since.isEmpty() || Duration.between(since.get(), now).compareTo(maxAge) < 0) {
        continue;
      }
      Pod pod = new Pod(uuid, PodState.of(from, false), dir);
      tryMark(pod, StateDir.GARBAGE, true,
          "moving " + what + " \"" + uuid + "\" to garbage", marked, failures);
    }
  }

  private void tryMark(Pod pod, StateDir to, boolean exclusive, String message,
      List<PodUuid> marked, List<String> failures) {
    try {
      if (moveLocked(pod, to, exclusive)) {
        marked.add(pod.uuid());
        events.marked(pod.uuid(), message);
      }
    } catch (PodNotFoundException e) {
      // Taken by a concurrent gc, rm or run-prepared: not ours to mark.
    } catch (PodException e) {
      failures.add(e.getMessage());
    }
  }

  /**
   * Moves the pod to {@code to} while holding its lock (shared: only "not running" matters;
   * exclusive: also keeps run-prepared out). False if the pod is locked or gone.
   */
  private boolean moveLocked(Pod pod, StateDir to, boolean exclusive) throws PodException {
    try (DirLock lock = DirLock.openIfPresent(pod.dir())) {
      if (lock == null) {
        return false;
      }
      boolean got = exclusive ? lock.tryExclusive() : lock.tryShared();
      if (!got || !lock.refersTo(pod.dir())) {
        return false;
      }
      PodFiles.movePod(pod.dir(), store.podDir(to, pod.uuid()));
      return true;
    }
  }

  /** The pods of {@code dir} marked longer ago than {@code grace}. */
  private List<Pod> due(StateDir dir, Duration grace) throws PodException {
    Instant now = clock.instant();
    List<Pod> due = new ArrayList<>();
    for (String name : PodStore.entries(store.stateDir(dir))) {
      PodUuid uuid = new PodUuid(name);
      Path podDir = store.podDir(dir, uuid);
      if (!grace.isZero()) {
        Optional<Instant> markedAt = Pod.ctime(podDir);
        if (markedAt.isEmpty() || Duration.between(markedAt.get(), now).compareTo(grace) < 0) {
          continue;
        }
      }
      due.add(new Pod(uuid, PodState.of(dir, false), podDir));
    }
    return due;
  }

  /** Deletes the pods, up to {@code workers} at once; results are reported in pod order. */
  private void sweep(List<Pod> due, List<PodUuid> deleted, List<String> failures) {
    int n = Math.min(workers, due.size());
    if (n <= 1) {
      for (Pod pod : due) {
        sweepOne(pod, deleted, failures);
      }
      return;
    }
    List<List<PodUuid>> deletedBy = new ArrayList<>();
    List<List<String>> failuresBy = new ArrayList<>();
    for (int i = 0; i < due.size(); i++) {
      deletedBy.add(new ArrayList<>(1));
      failuresBy.add(new ArrayList<>(1));
    }
    AtomicInteger next = new AtomicInteger();
    Runnable work = () -> {
      for (int i = next.getAndIncrement(); i < due.size(); i = next.getAndIncrement()) {
        sweepOne(due.get(i), deletedBy.get(i), failuresBy.get(i));
      }
    };
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      Thread thread = new Thread(work, "gc-" + t);
      threads.add(thread);
      thread.start();
    }
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the workers finish their pods: a pod is never left half-swept
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // Only the workers wrote these lists, and join() publishes what they wrote.
    deletedBy.forEach(deleted::addAll);
    failuresBy.forEach(failures::addAll);
  }

  private void sweepOne(Pod pod, List<PodUuid> deleted, List<String> failures) {
    try {
      if (delete(pod)) {
        deleted.add(pod.uuid());
      }
    } catch (PodNotFoundException e) {
      // Deleted by a concurrent gc or rm.
    } catch (PodException | RuntimeException e) {
      failures.add("cannot garbage collect pod \"" + pod.uuid() + "\": " + e.getMessage());
    }
  }

  /**
   * Deletes a marked pod under its exclusive lock: stage1 gc (if it ran), unmount, remove.
   * False if another process holds the lock or the pod is gone.
   */
  private boolean delete(Pod pod) throws PodException {
    try (DirLock lock = DirLock.openIfPresent(pod.dir())) {
      if (lock == null || !lock.tryExclusive() || !lock.refersTo(pod.dir())) {
        return false;
      }
      events.collecting(pod.uuid());
      teardown.tearDown(pod.dir());
      if (pod.state() == PodState.EXITED_GARBAGE) {
        runStage1Gc(pod);
      }
      PodTree.remove(store.podsDir(), pod.dir());
      return true;
    }
  }

  /**
   * Runs the stage1's gc entrypoint. A damaged or missing stage1 only warns (the pod must stay
   * deletable), but a gc entrypoint that fails keeps the pod: its directory holds the only records
   * of what the stage1 set up (cgroups, mounts), and the next gc tries again.
   */
  private void runStage1Gc(Pod pod) throws PodException {
    if (!java.nio.file.Files.exists(pod.dir().resolve(Stage1Entrypoints.MANIFEST))) {
      return; // the pod never got a stage1 (it failed before): nothing to tear down
    }
    int status;
    Path gcPath;
    try {
      Stage1Entrypoints eps = Stage1Entrypoints.read(pod.dir());
      Optional<Path> gc = eps.gcPath(pod.dir());
      if (gc.isEmpty()) {
        return;
      }
      List<String> args = new ArrayList<>();
      if (stage1.debug()) {
        args.add("--debug");
      }
      if (stage1.localConfig() != null && eps.interfaceVersion() >= 5) {
        args.add("--local-config=" + stage1.localConfig());
      }
      args.add(pod.uuid().value());
      gcPath = gc.get();
      List<String> argv = new ArrayList<>();
      argv.add(gcPath.toString());
      argv.addAll(args);
      status = Stage1Process.runArgv(pod.dir(), gcPath,
          PodOverlay.withStage1Mounted(pod.dir(), argv));
    } catch (PodException e) {
      // A pod whose stage1 is damaged or missing must still be deletable.
      events.warning("problem performing stage1 GC on \"" + pod.uuid() + "\": "
          + e.getMessage());
      return;
    }
    if (status != 0) {
      throw new PodException("stage1 " + gcPath.getFileName() + " exited with status " + status
          + "; the pod is kept so that the next gc can try again");
    }
  }

  private static void requireNonNegative(Duration d, String what) throws PodException {
    if (d.isNegative()) {
      throw new PodException("invalid " + what + " " + d + ": must not be negative");
    }
  }
}
