package io.jrkt.api;

import io.jrkt.api.v1alpha.Event;
import io.jrkt.api.v1alpha.EventType;
import io.jrkt.pod.PodState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns successive snapshots of the data directory into events. Pods climb a ladder (prepared,
 * started, exited, collected); a pod seen several rungs higher than before gets the events of
 * every rung in between, so a pod that ran and exited between two looks still reports that it
 * started. The first snapshot is the baseline and produces no events.
 */
final class PodEventTracker {
  /** One pod as seen in one snapshot. */
  record PodSeen(String id, PodState state, List<String> apps, Map<String, Integer> exitCodes) {}

  private static final int NONE = 0;
  private static final int PREPARED = 1;
  private static final int STARTED = 2;
  private static final int EXITED = 3;

  private static final class Track {
    int rung;
    boolean aborted;
    List<String> apps;
    final Set<String> exitedApps = new HashSet<>();
  }

  private final Map<String, Track> pods = new HashMap<>();
  private final Map<String, String> images = new HashMap<>();
  private boolean baseline = true;

  /** Whether the tracker still needs a pod's exit codes (it has not reported all its apps). */
  boolean wantsExitCodes(String podId) {
    Track t = pods.get(podId);
    return t == null || t.rung < EXITED || t.apps == null || t.exitedApps.size() < t.apps.size();
  }

  /** The events between the previous snapshot and this one, stamped {@code time} (seconds). */
  List<Event> update(List<PodSeen> seenPods, Map<String, String> seenImages, long time) {
    List<Event> out = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (PodSeen p : seenPods) {
      present.add(p.id());
      Track t = pods.get(p.id());
      if (t == null) {
        t = new Track();
        pods.put(p.id(), t);
        if (baseline) {
          t.rung = rung(p.state());
          t.aborted = p.state() == PodState.ABORTED_PREPARE;
          t.apps = p.apps();
          t.exitedApps.addAll(p.exitCodes().keySet());
          if (t.rung == EXITED && p.apps() != null) {
            t.exitedApps.addAll(p.apps());
          }
          continue;
        }
      }
      if (p.apps() != null) {
        t.apps = p.apps();
      }
      advance(p, t, time, out);
    }
    for (String gone : new ArrayList<>(pods.keySet())) {
      if (!present.contains(gone)) {
        Track t = pods.remove(gone);
        if (!baseline) {
          out.add(event(EventType.EVENT_TYPE_POD_GARBAGE_COLLECTED, gone, appNames(t), time));
        }
      }
    }
    for (Map.Entry<String, String> img : seenImages.entrySet()) {
      if (!images.containsKey(img.getKey()) && !baseline) {
        out.add(event(EventType.EVENT_TYPE_IMAGE_IMPORTED, img.getKey(), img.getValue(), time));
      }
    }
    for (Map.Entry<String, String> img : images.entrySet()) {
      if (!seenImages.containsKey(img.getKey()) && !baseline) {
        out.add(event(EventType.EVENT_TYPE_IMAGE_REMOVED, img.getKey(), img.getValue(), time));
      }
    }
    images.clear();
    images.putAll(seenImages);
    baseline = false;
    return out;
  }

  private static void advance(PodSeen p, Track t, long time, List<Event> out) {
    if (p.state() == PodState.ABORTED_PREPARE) {
      if (!t.aborted) {
        t.aborted = true;
        out.add(event(EventType.EVENT_TYPE_POD_PREPARE_ABORTED, p.id(), appNames(t), time));
      }
      return;
    }
    int target = rung(p.state());
    for (int r = t.rung + 1; r <= target; r++) {
      if (r == PREPARED) {
        out.add(event(EventType.EVENT_TYPE_POD_PREPARED, p.id(), appNames(t), time));
      } else if (r == STARTED) {
        out.add(event(EventType.EVENT_TYPE_POD_STARTED, p.id(), appNames(t), time));
        for (String app : apps(t)) {
          out.add(event(EventType.EVENT_TYPE_APP_STARTED, p.id(), app, time));
        }
      } else if (r == EXITED) {
        appExits(p, t, true, time, out);
        out.add(event(EventType.EVENT_TYPE_POD_EXITED, p.id(), appNames(t), time));
      }
    }
    t.rung = Math.max(t.rung, target);
    if (t.rung == STARTED) {
      appExits(p, t, false, time, out);
    }
  }

  /** APP_EXITED for apps with a recorded exit code, or for all apps once the pod has exited. */
  private static void appExits(PodSeen p, Track t, boolean podExited, long time,
      List<Event> out) {
    for (String app : apps(t)) {
      Integer code = p.exitCodes().get(app);
      if (t.exitedApps.contains(app) || (code == null && !podExited)) {
        continue;
      }
      t.exitedApps.add(app);
      Event.Builder e = event(EventType.EVENT_TYPE_APP_EXITED, p.id(), app, time).toBuilder();
      if (code != null) {
        e.addData(PodViews.kv("exit_code", String.valueOf(code)));
      }
      out.add(e.build());
    }
  }

  private static int rung(PodState s) {
    switch (s) {
      case PREPARED: return PREPARED;
      case RUNNING: return STARTED;
      case EXITED:
      case EXITED_GARBAGE:
      case EXITED_DELETING:
        return EXITED;
      default: return NONE;
    }
  }

  private static List<String> apps(Track t) {
    return t.apps == null ? List.of() : t.apps;
  }

  /** A pod's "from": its app names, comma-separated (pods have no names of their own). */
  private static String appNames(Track t) {
    return String.join(",", new LinkedHashSet<>(apps(t)));
  }

  static Event event(EventType type, String id, String from, long time) {
    return Event.newBuilder().setType(type).setId(id).setFrom(from).setTime(time).build();
  }
}
