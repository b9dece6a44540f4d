package io.jrkt.api;

import io.jrkt.api.v1alpha.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods as API messages. Every call probes each pod's state afresh (directory and lock);
 * the built message is reused only for pods in a state where nothing they show can change
 * without the pod moving to another directory or its manifest being rewritten.
 */
final class PodCatalog {
  private record Cached(Path dir, PodState state, long manifestStamp, Pod pod) {}

  private final PodStore store;
  private final Map<PodUuid, Cached> cache = new ConcurrentHashMap<>();

  PodCatalog(PodStore store) {
    this.store = store;
  }

  /** The pods ListPods shows (prepare/, prepared/, run/, exited-garbage/), by UUID. */
  List<Pod> list() throws PodException {
    List<io.jrkt.pod.Pod> snapshots = store.listShown();
    List<Pod> pods = new ArrayList<>(snapshots.size());
    Set<PodUuid> seen = new HashSet<>();
    for (io.jrkt.pod.Pod p : snapshots) {
      seen.add(p.uuid());
      view(p).ifPresent(pods::add);
    }
    pods.sort((a, b) -> a.getId().compareTo(b.getId()));
    cache.keySet().retainAll(seen);
    return pods;
  }

  /** One pod in any state directory; empty if there is no such pod. */
  Optional<Pod> get(PodUuid uuid) throws PodException {
    io.jrkt.pod.Pod p;
    try {
      p = store.get(uuid);
    } catch (io.jrkt.pod.PodNotFoundException e) {
      return Optional.empty();
    }
    return view(p);
  }

  private Optional<Pod> view(io.jrkt.pod.Pod p) {
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

  /** States whose pod files no longer change while the pod stays in them. */
  private static boolean settled(PodState s) {
    return s == PodState.EXITED || s == PodState.EXITED_GARBAGE || s == PodState.GARBAGE
        || s == PodState.ABORTED_PREPARE || s == PodState.PREPARED;
  }
}
