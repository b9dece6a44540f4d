package io.jrkt.pod;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code pods/} tree under the data directory: pod creation, lookup by UUID prefix, state
 * probing and the locked state transitions that start a pod. Deletion is {@link PodGc}'s.
 *
 * <p>A pod's state is its directory plus whether its directory is exclusively flocked (see
 * {@link PodState}); nothing else is recorded, so every answer here is a snapshot.
 */
public final class PodStore {
  /** The directories {@code list} shows, as rkt's list does (no embryo/, no garbage/). */
  private static final Set<StateDir> LISTED = EnumSet.of(StateDir.PREPARE, StateDir.PREPARED,
      StateDir.RUN, StateDir.EXITED_GARBAGE);
  private static final Duration POLL = Duration.ofMillis(100);
  /** How long run-prepared retries a lock that a concurrent state probe holds for an instant. */
  private static final Duration LOCK_RETRY = Duration.ofSeconds(2);

  /** How often create starts again when a concurrent gc takes its embryo. */
  private static final int CREATE_ATTEMPTS = 5;

  private final Path podsDir;
  private final Duration lockRetry;

  public PodStore(Path dataDir) {
    this(dataDir, LOCK_RETRY);
  }

  PodStore(Path dataDir, Duration lockRetry) {
    this.podsDir = dataDir.toAbsolutePath().normalize().resolve("pods");
    this.lockRetry = lockRetry;
  }

  /** {@code <data dir>/pods}. */
  public Path podsDir() {
    return podsDir;
  }

  Path stateDir(StateDir d) {
    return podsDir.resolve(d.dirName());
  }

  Path podDir(StateDir d, PodUuid uuid) {
    return stateDir(d).resolve(uuid.value());
  }

  /**
   * Creates a pod: mkdir {@code embryo/<uuid>}, lock it exclusively, write {@code pod-created}
   * and move it to {@code prepare/<uuid>}. The caller owns the returned (locked) pod.
   *
   * <p>An unlocked embryo belongs to a dead process or to one between its mkdir and its lock; gc
   * takes any embryo it can lock. So a creator that finds its embryo taken (gone, locked, or moved
   * away before its lock held) starts again under a new UUID.
   */
  public NewPod create() throws PodException {
    PodFiles.ensureDir(stateDir(StateDir.EMBRYO));
    PodFiles.ensureDir(stateDir(StateDir.PREPARE));
    for (int attempt = 1; ; attempt++) {
      NewPod pod = tryCreate(PodUuid.random());
      if (pod != null) {
        return pod;
      }
      if (attempt == CREATE_ATTEMPTS) {
        throw new PodException("cannot create a pod in " + stateDir(StateDir.EMBRYO) + ": "
            + "its directory was taken by a concurrent gc " + CREATE_ATTEMPTS + " times");
      }
    }
  }

  /** One creation attempt; null when a concurrent gc took the embryo first. */
  private NewPod tryCreate(PodUuid uuid) throws PodException {
    Path embryo = podDir(StateDir.EMBRYO, uuid);
    PodFiles.createPodDir(embryo);
    DirLock lock = DirLock.openIfPresent(embryo);
    if (lock == null) {
      return null;
    }
    try {
      if (!lock.tryExclusive() || !lock.refersTo(embryo)) {
        lock.close();
        return null;
      }
      PodFiles.finishPodDir(embryo);
      try {
        Files.createFile(embryo.resolve(Pod.CREATED_FILE));
        // rkt's lock file for app add/rm; tools that follow rkt's layout expect it.
        Files.createFile(embryo.resolve(Pod.APP_LOCK_FILE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (IOException e) {
        throw new PodException("cannot write the files of new pod " + embryo + ": "
            + e.getMessage(), e);
      }
      Path prepare = podDir(StateDir.PREPARE, uuid);
      PodFiles.movePod(embryo, prepare);
      return new NewPod(this, uuid, prepare, lock);
    } catch (PodException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Resolves a full UUID or a unique prefix of one (case-insensitive) among all pods.
   *
   * @throws PodNotFoundException when nothing or more than one pod matches
   */
  public PodUuid resolve(String uuidOrPrefix) throws PodException {
    String prefix = uuidOrPrefix == null ? "" : uuidOrPrefix.trim().toLowerCase(Locale.ROOT);
    Set<String> matches = new TreeSet<>();
    if (!prefix.isEmpty() && prefix.length() <= 36) {
      for (StateDir d : StateDir.values()) {
        for (String name : entries(stateDir(d))) {
          if (name.startsWith(prefix)) {
            matches.add(name);
          }
        }
      }
    }
    if (matches.isEmpty()) {
      throw new PodNotFoundException("no matches found for \"" + uuidOrPrefix + "\"");
    }
    if (matches.size() > 1) {
      throw new PodNotFoundException("ambiguous uuid, " + matches.size() + " matches");
    }
    return new PodUuid(matches.iterator().next());
  }

  /** A snapshot of the pod's state and directory. */
  public Pod get(PodUuid uuid) throws PodException {
    // Pods only move forward through the state directories, so one pass in lifecycle order finds
    // a pod that moves meanwhile; it is missed only if it was deleted.
    for (StateDir d : StateDir.values()) {
      Pod p = probe(d, uuid);
      if (p != null) {
        return p;
      }
    }
    throw new PodNotFoundException("no matches found for \"" + uuid + "\"");
  }

  /** Every pod in every state directory, in lifecycle-directory order, then by UUID. */
  public List<Pod> list() throws PodException {
    return list(EnumSet.allOf(StateDir.class));
  }

  /**
   * The pods {@code list} shows: those in prepare/, prepared/, run/ and exited-garbage/ (not
   * embryos, not never-run garbage), as rkt's list does.
   */
  public List<Pod> listShown() throws PodException {
    return list(LISTED);
  }

  List<Pod> list(Set<StateDir> dirs) throws PodException {
    // Keyed by UUID: a pod moving forward while we scan is seen twice; the later sighting wins.
    Map<PodUuid, Pod> pods = new LinkedHashMap<>();
    for (StateDir d : StateDir.values()) {
      if (!dirs.contains(d)) {
        continue;
      }
      for (String name : entries(stateDir(d))) {
        PodUuid uuid = new PodUuid(name);
        Pod p = probe(d, uuid);
        if (p != null) {
          pods.remove(uuid);
          pods.put(uuid, p);
        }
      }
    }
    return List.copyOf(pods.values());
  }

  /**
   * Waits until the pod is finished ({@link PodState#finished}): exited, aborted or garbage.
   *
   * @param timeout null to wait forever
   * @throws PodWaitTimeoutException when the timeout passes first
   * @throws PodNotFoundException when the pod is deleted meanwhile
   */
  public Pod waitFinished(PodUuid uuid, Duration timeout) throws PodException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (true) {
      Pod p = get(uuid);
      if (p.state().finished()) {
        return p;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new PodWaitTimeoutException(uuid, "finish", p.state(), timeout);
      }
      if (timeout == null && p.state() == PodState.RUNNING) {
        // Block until the running pod's lock holder (the stage1) ends.
        try (DirLock lock = DirLock.openIfPresent(p.dir())) {
          if (lock != null) {
            lock.waitShared();
          }
        }
        continue;
      }
      sleep(Math.min(left, POLL.toNanos()));
    }
  }

  /**
   * Waits until the pod is running and its stage1 supervisor says it is ready
   * ({@link Pod#supervisorReady}).
   *
   * @param timeout null to wait forever
   * @throws PodWaitTimeoutException when the timeout passes first
   * @throws PodException when the pod finishes without becoming ready
   */
  public Pod waitReady(PodUuid uuid, Duration timeout) throws PodException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (true) {
      Pod p = get(uuid);
      if (p.state() == PodState.RUNNING && p.supervisorReady()) {
        return p;
      }
      if (p.state().finished()) {
        throw new PodException("pod \"" + uuid + "\" is " + p.state().label()
            + "; it will never be ready");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new PodWaitTimeoutException(uuid, "be ready", p.state(), timeout);
      }
      sleep(Math.min(left, POLL.toNanos()));
    }
  }

  /**
   * {@code run-prepared}: locks {@code prepared/<uuid>} exclusively and moves it to
   * {@code run/<uuid>}; the returned pod holds the lock.
   */
  public PreparedPod lockPrepared(PodUuid uuid) throws PodException {
    Path prepared = podDir(StateDir.PREPARED, uuid);
    DirLock lock = DirLock.openIfPresent(prepared);
    if (lock == null) {
      throw notPrepared(uuid);
    }
    try {
      // A state probe (list, status) holds a shared lock for an instant; a concurrent
      // run-prepared or gc holds an exclusive one and then moves the pod away.
      long deadline = System.nanoTime() + lockRetry.toNanos();
      while (!lock.tryExclusive()) {
        if (System.nanoTime() > deadline) {
          throw new PodException("pod \"" + uuid + "\" is locked by another process");
        }
        sleep(POLL.toNanos() / 10);
      }
      if (!lock.refersTo(prepared)) {
        throw notPrepared(uuid);
      }
      Path run = podDir(StateDir.RUN, uuid);
      PodFiles.movePod(prepared, run);
      return new PreparedPod(uuid, run, lock);
    } catch (PodException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private PodException notPrepared(PodUuid uuid) throws PodException {
    Pod now = get(uuid);
    return new PodException("pod \"" + uuid + "\" is not prepared (state: "
        + now.state().label() + ")");
  }

  /** The pod in {@code d}, with its lock probed; null if it is not (or no longer) there. */
  Pod probe(StateDir d, PodUuid uuid) throws PodException {
    Path dir = podDir(d, uuid);
    if (!d.lockMeaningful()) {
      return Files.isDirectory(dir) ? new Pod(uuid, PodState.of(d, false), dir) : null;
    }
    try (DirLock lock = DirLock.openIfPresent(dir)) {
      if (lock == null) {
        return null;
      }
      boolean locked = !lock.tryShared();
      return new Pod(uuid, PodState.of(d, locked), dir);
    }
  }

  /** Names of the pod directories in {@code dir} (entries that are canonical UUIDs), sorted. */
  static List<String> entries(Path dir) throws PodException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (PodUuid.isCanonical(n)) {
          names.add(n);
        }
      }
    } catch (NoSuchFileException e) {
      return names;
    } catch (IOException e) {
      throw new PodException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    names.sort(null);
    return names;
  }

  private static void sleep(long nanos) throws PodException {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PodException("interrupted while waiting for a pod");
    }
  }
}
