package io.jrkt.api;

import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodFilter;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodNotFoundException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods as API messages.
 *
 * <p>A pod's state is its directory plus its lock. Pods in a settled state (exited in
 * {@code run/}, exited-garbage, aborted prepare, prepared) leave it only by moving to another
 * directory, and nothing the API shows of them changes meanwhile; so while such a pod is listed
 * in the same directory, its message is reused without probing its lock or reading a file. Every
 * other pod (running, preparing, new or moved) is probed and read afresh on each call, so a new
 * or changed pod shows in the next call. One short-lived imprecision remains: while gc holds an
 * exited-garbage pod's lock to delete it, the pod still shows as GARBAGE, not DELETING.
 *
 * <p>The directories' entries are read again only when one of their change markers
 * ({@link DirStamp}) moved, so ListPods of settled pods reads four directory attributes.
 */
final class PodCatalog {
  /** The directories ListPods shows, in lifecycle order (rkt's "IncludeMostDirs"). */
  private static final String[] LISTED = {"prepare", "prepared", "run", "exited-garbage"};

  private static final class Cached {
    final Path dir;
    final PodState state;
    final long manifestStamp;
    final Pod pod;
    volatile Pod withoutManifest;

    Cached(Path dir, PodState state, long manifestStamp, Pod pod) {
      this.dir = dir;
      this.state = state;
      this.manifestStamp = manifestStamp;
      this.pod = pod;
    }
  }

  /** A pod listed in a state directory; {@code settled} is set once its message is known. */
  private static final class Entry {
    final PodUuid uuid;
    final Path dir;
    volatile Cached settled;

    Entry(PodUuid uuid, Path dir, Cached settled) {
      this.uuid = uuid;
      this.dir = dir;
      this.settled = settled;
    }
  }

  /**
   * The pods the state directories held, sorted by UUID, read after their change markers were
   * taken. While the markers stay the same the entries do too, so only the pods not settled are
   * probed again.
   */
  private record Listing(List<DirStamp> stamps, List<Entry> entries) {}

  private final PodStore store;
  private final Map<PodUuid, Cached> cache = new ConcurrentHashMap<>();
  private volatile Listing last;

  PodCatalog(PodStore store) {
    this.store = store;
  }

  /**
   * The pods ListPods shows that pass {@code filters} (rkt's semantics, see {@link PodFilters}),
   * sorted by UUID; with or without their manifests.
   */
  List<Pod> list(boolean detail, List<PodFilter> filters) throws PodException {
    List<Pod> pods = new ArrayList<>();
    for (Entry e : listing().entries) {
      Pod p;
      Cached c = e.settled;
      if (c != null) {
        p = detail ? c.pod : withoutManifest(c);
      } else {
        Optional<Pod> fresh;
        try {
          fresh = fresh(store.get(e.uuid));
        } catch (PodNotFoundException gone) {
          continue; // Deleted since the directory was read.
        }
        if (fresh.isEmpty()) {
          continue;
        }
        c = cache.get(e.uuid);
        if (c != null && c.dir.equals(e.dir)) {
          e.settled = c; // Settled where it was listed: no need to probe it again.
        }
        p = detail ? fresh.get() : withoutManifest(fresh.get());
      }
      if (PodFilters.matchesAny(p, filters)) {
        pods.add(p);
      }
    }
    return pods;
  }

  /** The entries of the state directories: the last ones while their markers hold. */
  private Listing listing() throws PodException {
    List<DirStamp> stamps = new ArrayList<>(LISTED.length);
    boolean trusted = true;
    for (String d : LISTED) {
      Optional<DirStamp> s = DirStamp.of(store.podsDir().resolve(d));
      trusted &= s.isPresent() && s.get().settled();
      stamps.add(s.orElse(null));
    }
    Listing l = last;
    if (l != null && trusted && l.stamps.equals(stamps)) {
      return l;
    }
    Map<PodUuid, Path> found = new HashMap<>();
    for (String d : LISTED) {
      Path stateDir = store.podsDir().resolve(d);
      for (String name : entries(stateDir)) {
        // A pod moving on while the directories are read is seen twice; the later one counts.
        found.put(new PodUuid(name), stateDir.resolve(name));
      }
    }
    List<Entry> entries = new ArrayList<>(found.size());
    for (Map.Entry<PodUuid, Path> e : found.entrySet()) {
      Cached c = cache.get(e.getKey());
      entries.add(new Entry(e.getKey(), e.getValue(),
          c != null && c.dir.equals(e.getValue()) ? c : null));
    }
    entries.sort((a, b) -> a.uuid.compareTo(b.uuid));
    cache.keySet().retainAll(found.keySet());
    l = new Listing(stamps, List.copyOf(entries));
    last = trusted ? l : null;
    return l;
  }

  /**
   * One pod in any state directory; empty if there is no such pod. A settled pod still in the
   * directory it settled in is answered from the cache (one stat); any other is probed.
   */
  Optional<Pod> get(PodUuid uuid) throws PodException {
    Cached c = cache.get(uuid);
    if (c != null && Files.isDirectory(c.dir)) {
      return Optional.of(c.pod);
    }
    try {
      return fresh(store.get(uuid));
    } catch (PodNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The pod's message, from the cache when nothing it shows can have changed. */
  private Optional<Pod> fresh(io.jrkt.pod.Pod p) {
    long stamp = PodViews.manifestStamp(p.dir());
    Cached c = cache.get(p.uuid());
    if (c != null && c.state == p.state() && c.dir.equals(p.dir()) && c.manifestStamp == stamp) {
      return Optional.of(c.pod);
    }
    Optional<Pod> built = PodViews.view(p);
    if (built.isPresent() && settled(p.state())) {
      cache.put(p.uuid(), new Cached(p.dir(), p.state(), stamp, built.get()));
    } else {
      cache.remove(p.uuid());
    }
    return built;
  }

  private static Pod withoutManifest(Cached c) {
    Pod p = c.withoutManifest;
    if (p == null) {
      p = withoutManifest(c.pod);
      c.withoutManifest = p;
    }
    return p;
  }

  private static Pod withoutManifest(Pod p) {
    return p.getManifest().isEmpty() ? p : p.toBuilder().clearManifest().build();
  }

  /** States a pod leaves only by moving to another directory. */
  private static boolean settled(PodState s) {
    return s == PodState.EXITED || s == PodState.EXITED_GARBAGE
        || s == PodState.ABORTED_PREPARE || s == PodState.PREPARED;
  }

  /** Whether a directory entry is named like a pod: a lowercase 8-4-4-4-12 UUID. */
  static boolean canonicalUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** The UUID-named entries of a state directory. */
  private static List<String> entries(Path dir) throws PodException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (canonicalUuid(n)) {
          names.add(n);
        }
      }
    } catch (NoSuchFileException e) {
      return names;
    } catch (IOException e) {
      throw new PodException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return names;
  }
}
