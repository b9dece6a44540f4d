package io.jrkt.api;

import io.jrkt.api.v1alpha.Event;
import io.jrkt.api.v1alpha.EventFilter;

/**
 * ListenEvents filtering: types, ids and names each match any listed value, and all given ones
 * must hold; since_time and until_time (seconds) bound the event time, both inclusive.
 */
final class EventFilters {
  private EventFilters() {}

  static boolean matches(Event e, EventFilter f) {
    if (f.getTypesCount() > 0 && !f.getTypesList().contains(e.getType())) {
      return false;
    }
    if (f.getIdsCount() > 0 && !f.getIdsList().contains(e.getId())) {
      return false;
    }
    if (f.getNamesCount() > 0 && !nameMatches(e.getFrom(), f)) {
      return false;
    }
    if (f.getSinceTime() > 0 && e.getTime() < f.getSinceTime()) {
      return false;
    }
    return f.getUntilTime() <= 0 || e.getTime() <= f.getUntilTime();
  }

  /** A pod event's "from" lists the pod's apps; naming any one of them matches. */
  private static boolean nameMatches(String from, EventFilter f) {
    if (f.getNamesList().contains(from)) {
      return true;
    }
    for (String part : from.split(",")) {
      if (f.getNamesList().contains(part)) {
        return true;
      }
    }
    return false;
  }
}
