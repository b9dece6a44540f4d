package io.jrkt.api;

import io.jrkt.api.v1alpha.App;
import io.jrkt.api.v1alpha.KeyValue;
import io.jrkt.api.v1alpha.Network;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodFilter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * rkt's pod filter semantics: a pod passes a request's filters if it satisfies any of them (no
 * filters: every pod); within one filter every non-empty condition must hold.
 */
final class PodFilters {
  private PodFilters() {}

  static boolean matchesAny(Pod pod, List<PodFilter> filters) {
    if (filters.isEmpty()) {
      return true;
    }
    // Index loops: ListPods runs this for every pod, and iterators would be garbage.
    for (int i = 0; i < filters.size(); i++) {
      if (matches(pod, filters.get(i))) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(Pod pod, PodFilter f) {
    if (f.getIdsCount() > 0 && !f.getIdsList().contains(pod.getId())) {
      return false;
    }
    if (f.getStatesCount() > 0 && !f.getStatesList().contains(pod.getState())) {
      return false;
    }
    if (f.getAppNamesCount() > 0) {
      Set<String> names = new HashSet<>();
      for (App a : pod.getAppsList()) {
        names.add(a.getName());
      }
      if (!names.containsAll(f.getAppNamesList())) {
        return false;
      }
    }
    if (f.getImageIdsCount() > 0) {
      Set<String> ids = new HashSet<>();
      for (App a : pod.getAppsList()) {
        ids.add(a.getImage().getId());
      }
      if (!ids.containsAll(f.getImageIdsList())) {
        return false;
      }
    }
    if (f.getNetworkNamesCount() > 0) {
      Set<String> nets = new HashSet<>();
      for (Network n : pod.getNetworksList()) {
        nets.add(n.getName());
      }
      if (!nets.containsAll(f.getNetworkNamesList())) {
        return false;
      }
    }
    if (f.getAnnotationsCount() > 0 && !containsAll(pod.getAnnotationsList(),
        f.getAnnotationsList())) {
      return false;
    }
    if (f.getCgroupsCount() > 0 && !f.getCgroupsList().contains(pod.getCgroup())) {
      return false;
    }
    if (f.getPodSubCgroupsCount() > 0) {
      if (pod.getCgroup().isEmpty()) {
        return false;
      }
      boolean any = false;
      for (String sub : f.getPodSubCgroupsList()) {
        if (sub.startsWith(pod.getCgroup())) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code have} holds every wanted key with exactly the wanted value. */
  static boolean containsAll(List<KeyValue> have, List<KeyValue> wanted) {
    for (int i = 0; i < wanted.size(); i++) {
      KeyValue w = wanted.get(i);
      boolean found = false;
      for (int j = 0; j < have.size(); j++) {
        KeyValue h = have.get(j);
        if (h.getKey().equals(w.getKey()) && h.getValue().equals(w.getValue())) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
