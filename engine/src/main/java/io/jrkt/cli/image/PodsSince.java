package io.jrkt.cli.image;

import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import java.util.AbstractSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * The trees pods referenced when {@code image gc} read them, as a live set: it also "contains"
 * every tree as soon as a pod exists that was not there before the references were read, or a
 * pod is being created or prepared. Such a pod may be about to use any tree (as an overlay lower
 * layer, for its whole life), so the gc keeps them all this time. The store asks again under each
 * tree's lock, and a pod being prepared looks its trees up (under the same lock when one must be
 * rendered again) only after it exists: a tree is removed only when no pod can use it.
 */
final class PodsSince extends AbstractSet<String> {
  private final Set<String> referenced;
  private final PodStore pods;
  private final Set<String> before;
  /** Once pods changed, every tree is kept for the rest of this gc. */
  private boolean changed;

  PodsSince(Set<String> referenced, PodStore pods, Set<String> before) {
    this.referenced = Set.copyOf(referenced);
    this.pods = pods;
    this.before = Set.copyOf(before);
  }

  /** The UUIDs of the pods there are now. */
  static Set<String> uuids(PodStore pods) {
    Set<String> out = new HashSet<>();
    try {
      for (Pod p : pods.list()) {
        out.add(p.uuid().value());
      }
    } catch (PodException e) {
      // Unreadable: the references read next are incomplete too, and every tree is kept.
    }
    return out;
  }

  @Override
  public boolean contains(Object o) {
    return referenced.contains(o) || podsChanged();
  }

  private boolean podsChanged() {
    if (changed) {
      return true;
    }
    changed = listChanged();
    return changed;
  }

  private boolean listChanged() {
    try {
      for (Pod p : pods.list()) {
        if (!before.contains(p.uuid().value()) || p.state() == PodState.EMBRYO
            || p.state() == PodState.PREPARING) {
          return true;
        }
      }
      return false;
    } catch (PodException e) {
      return true;
    }
  }

  @Override
  public Iterator<String> iterator() {
    return referenced.iterator();
  }

  @Override
  public int size() {
    return referenced.size();
  }
}
