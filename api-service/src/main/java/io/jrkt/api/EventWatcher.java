package io.jrkt.api;

import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import io.jrkt.store.StoreException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Produces ListenEvents' events by looking at the data directory whenever something changes:
 * inotify (the JDK's {@link WatchService}) on the pod state directories, the image records and
 * the exit status directories of running pods; one blocked lock waiter per running pod, which
 * wakes when the pod's stage1 ends; and, for what neither sees (a prepare that dies), a look
 * once a second.
 */
final class EventWatcher implements AutoCloseable {
  private static final Duration PERIOD = Duration.ofSeconds(1);
  /** Lets a burst of file changes (a pod being written) settle into one look. */
  private static final long SETTLE_MS = 20;
  private static final String[] STATE_DIRS = {"embryo", "prepare", "prepared", "run",
      "exited-garbage", "garbage"};
  private static final int MAX_WAITERS = 256;

  private final Path dataDir;
  private final PodStore pods;
  private final ImageCatalog images;
  private final EventHub hub;
  private final PodEventTracker tracker = new PodEventTracker();
  private final LinkedBlockingQueue<Object> wakeups = new LinkedBlockingQueue<>();
  private final Map<Path, WatchKey> watched = new HashMap<>();
  private final Map<PodUuid, List<String>> appsByPod = new HashMap<>();
  private final Set<PodUuid> waiting = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicInteger waiters = new AtomicInteger();
  private final WatchService watch;
  private final Thread loop;
  private final Thread inotify;
  private volatile boolean closed;

  EventWatcher(Path dataDir, PodStore pods, ImageCatalog images, EventHub hub) throws IOException {
    this.dataDir = dataDir;
    this.pods = pods;
    this.images = images;
    this.hub = hub;
    this.watch = FileSystems.getDefault().newWatchService();
    this.loop = new Thread(this::run, "jrkt-api-events");
    this.inotify = new Thread(this::forwardWatchEvents, "jrkt-api-inotify");
    loop.setDaemon(true);
    inotify.setDaemon(true);
  }

  /** Takes the baseline snapshot (no events for what exists now) and starts watching. */
  void start() {
    look();
    loop.start();
    inotify.start();
  }

  private void run() {
    while (!closed) {
      try {
        Object signal = wakeups.poll(PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        if (signal != null) {
          Thread.sleep(SETTLE_MS);
          wakeups.clear();
        }
        look();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // One bad look must not end the events for good; the next one starts afresh.
        System.err.println("api-service: events: " + e);
      }
    }
  }

  private void forwardWatchEvents() {
    while (!closed) {
      try {
        WatchKey key = watch.take();
        key.pollEvents();
        key.reset();
        wakeups.offer(Boolean.TRUE);
      } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
        return;
      }
    }
  }

  /** One snapshot: diff it against the last one and publish what changed. */
  private synchronized void look() {
    for (String d : STATE_DIRS) {
      watchDir(dataDir.resolve("pods").resolve(d));
    }
    watchDir(dataDir.resolve("pods"));
    watchDir(dataDir.resolve("cas").resolve("imageinfo"));
    List<PodEventTracker.PodSeen> seen = new ArrayList<>();
    Set<Path> statusDirs = new HashSet<>();
    Set<PodUuid> present = new HashSet<>();
    List<Pod> all;
    try {
      all = pods.list();
    } catch (PodException e) {
      return;
    }
    for (Pod p : all) {
      present.add(p.uuid());
      List<String> apps = apps(p);
      Map<String, Integer> codes = Map.of();
      if (p.state().afterRun() && tracker.wantsExitCodes(p.uuid().value())) {
        codes = new LinkedHashMap<>();
        for (String app : apps == null ? List.<String>of() : apps) {
          var c = p.appExitCode(app);
          if (c.isPresent()) {
            codes.put(app, c.getAsInt());
          }
        }
      }
      if (p.state() == PodState.RUNNING) {
        statusDirs.add(p.stage1RootForReading().resolve("rkt").resolve("status"));
        waitForExit(p.uuid());
      }
      seen.add(new PodEventTracker.PodSeen(p.uuid().value(), p.state(), apps, codes));
    }
    appsByPod.keySet().retainAll(present);
    Map<String, String> imgs = new LinkedHashMap<>();
    try {
      for (var img : images.list()) {
        imgs.put(img.getId(), img.getName());
      }
    } catch (StoreException | RuntimeException e) {
      return;
    }
    for (Path d : statusDirs) {
      watchDir(d);
    }
    unwatchStatusDirsExcept(statusDirs);
    hub.publish(tracker.update(seen, imgs, System.currentTimeMillis() / 1000));
  }

  /** The pod's app names, read once per pod; null while its manifest is not written yet. */
  private List<String> apps(Pod p) {
    List<String> apps = appsByPod.get(p.uuid());
    if (apps != null) {
      return apps;
    }
    if (p.state() == PodState.EMBRYO || p.state() == PodState.PREPARING) {
      return null;
    }
    try {
      List<String> names = new ArrayList<>();
      for (RuntimeApp a : p.manifest().apps()) {
        names.add(a.name().value());
      }
      apps = List.copyOf(names);
      appsByPod.put(p.uuid(), apps);
      return apps;
    } catch (PodException e) {
      return null;
    }
  }

  /** A thread blocked on the running pod's lock; it wakes the loop when the stage1 ends. */
  private void waitForExit(PodUuid uuid) {
    if (waiting.contains(uuid) || waiters.get() >= MAX_WAITERS) {
      return;
    }
    waiting.add(uuid);
    waiters.incrementAndGet();
    Thread t = new Thread(() -> {
      try {
        pods.waitFinished(uuid, null);
      } catch (PodException | RuntimeException e) {
        // Gone or unreadable: the next look tells.
      } finally {
        waiters.decrementAndGet();
        waiting.remove(uuid);
        wakeups.offer(Boolean.TRUE);
      }
    }, "jrkt-api-wait-" + uuid.shortForm());
    t.setDaemon(true);
    t.start();
  }

  private void watchDir(Path dir) {
    if (watched.containsKey(dir) || !Files.isDirectory(dir)) {
      return;
    }
    try {
      watched.put(dir, dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
    } catch (IOException | java.nio.file.ClosedWatchServiceException e) {
      // Vanished meanwhile or no inotify watches left: the periodic look still covers it.
    }
  }

  private void unwatchStatusDirsExcept(Set<Path> keep) {
    Path podsDir = dataDir.resolve("pods");
    for (var it = watched.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Path dir = e.getKey();
      boolean fixed = dir.equals(podsDir) || dir.getParent().equals(podsDir)
          || dir.endsWith(Path.of("cas", "imageinfo"));
      if (!fixed && !keep.contains(dir)) {
        e.getValue().cancel();
        it.remove();
      } else if (!e.getValue().isValid()) {
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    inotify.interrupt();
    try {
      watch.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }
}
