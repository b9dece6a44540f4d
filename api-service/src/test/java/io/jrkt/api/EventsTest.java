package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.api.v1alpha.Event;
import io.jrkt.api.v1alpha.EventFilter;
import io.jrkt.api.v1alpha.EventType;
import io.jrkt.pod.PodState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {
  private static final String POD = "5c2bd39b-2b4c-4e0d-9d1f-4b0d4b6a1c11";

  private static PodEventTracker.PodSeen seen(PodState s, Map<String, Integer> codes) {
    return new PodEventTracker.PodSeen(POD, s, List.of("a", "b"), codes);
  }

  private static List<EventType> types(List<Event> events) {
    return events.stream().map(Event::getType).toList();
  }

  @Test
  void theBaselineMakesNoEvents() {
    PodEventTracker t = new PodEventTracker();
    assertEquals(List.of(), t.update(List.of(seen(PodState.RUNNING, Map.of())),
        Map.of("sha512-x", "img"), 1));
    assertEquals(List.of(), t.update(List.of(seen(PodState.RUNNING, Map.of())),
        Map.of("sha512-x", "img"), 2));
  }

  @Test
  void aPodSeenOnlyAfterItExitedStillReportsEveryStep() {
    PodEventTracker t = new PodEventTracker();
    t.update(List.of(), Map.of(), 1);
    List<Event> e = t.update(List.of(seen(PodState.EXITED, Map.of("a", 3))), Map.of(), 2);
    assertEquals(List.of(EventType.EVENT_TYPE_POD_PREPARED, EventType.EVENT_TYPE_POD_STARTED,
        EventType.EVENT_TYPE_APP_STARTED, EventType.EVENT_TYPE_APP_STARTED,
        EventType.EVENT_TYPE_APP_EXITED, EventType.EVENT_TYPE_APP_EXITED,
        EventType.EVENT_TYPE_POD_EXITED), types(e));
    assertEquals("a,b", e.get(0).getFrom());
    assertEquals("a", e.get(4).getFrom());
    assertEquals("3", e.get(4).getData(0).getValue());
    assertEquals(0, e.get(5).getDataCount(), "no status recorded for app b");
    assertEquals(List.of(), t.update(List.of(seen(PodState.EXITED_GARBAGE, Map.of("a", 3))),
        Map.of(), 3));
    assertEquals(List.of(EventType.EVENT_TYPE_POD_GARBAGE_COLLECTED),
        types(t.update(List.of(), Map.of(), 4)));
  }

  @Test
  void appsExitOneByOneWhileThePodRuns() {
    PodEventTracker t = new PodEventTracker();
    t.update(List.of(seen(PodState.RUNNING, Map.of())), Map.of(), 1);
    List<Event> e = t.update(List.of(seen(PodState.RUNNING, Map.of("b", 0))), Map.of(), 2);
    assertEquals(List.of(EventType.EVENT_TYPE_APP_EXITED), types(e));
    assertEquals("b", e.get(0).getFrom());
    e = t.update(List.of(seen(PodState.EXITED, Map.of("a", 1, "b", 0))), Map.of(), 3);
    assertEquals(List.of(EventType.EVENT_TYPE_APP_EXITED, EventType.EVENT_TYPE_POD_EXITED),
        types(e));
    assertEquals("a", e.get(0).getFrom());
  }

  @Test
  void abortedPreparesAndImages() {
    PodEventTracker t = new PodEventTracker();
    t.update(List.of(seen(PodState.PREPARING, Map.of())), Map.of("sha512-x", "x"), 1);
    List<Event> e = t.update(List.of(seen(PodState.ABORTED_PREPARE, Map.of())),
        Map.of("sha512-y", "y"), 2);
    assertEquals(List.of(EventType.EVENT_TYPE_POD_PREPARE_ABORTED,
        EventType.EVENT_TYPE_IMAGE_IMPORTED, EventType.EVENT_TYPE_IMAGE_REMOVED), types(e));
    assertEquals("y", e.get(1).getFrom());
    assertEquals("sha512-x", e.get(2).getId());
  }

  @Test
  void filtersAndHistory() {
    Event started = PodEventTracker.event(EventType.EVENT_TYPE_POD_STARTED, POD, "a,b", 100);
    Event image = PodEventTracker.event(EventType.EVENT_TYPE_IMAGE_IMPORTED, "sha512-x", "x", 105);
    assertTrue(EventFilters.matches(started, EventFilter.newBuilder().addNames("b").build()));
    assertTrue(!EventFilters.matches(started, EventFilter.newBuilder().addNames("c").build()));
    assertTrue(!EventFilters.matches(started, EventFilter.newBuilder()
        .addTypes(EventType.EVENT_TYPE_POD_EXITED).build()));
    assertTrue(!EventFilters.matches(started, EventFilter.newBuilder().addIds(POD)
        .addNames("x").build()), "all given conditions must hold");
    assertTrue(!EventFilters.matches(started, EventFilter.newBuilder().setSinceTime(101)
        .build()));
    assertTrue(!EventFilters.matches(image, EventFilter.newBuilder().setUntilTime(104).build()));

    EventHub hub = new EventHub(1);
    hub.publish(List.of(started, image));
    List<Event> got = new ArrayList<>();
    try (EventHub.Subscription s = hub.subscribe(EventFilter.newBuilder().setSinceTime(1).build(),
        got::addAll)) {
      assertEquals(List.of(image), got, "history keeps the newest, as many as configured");
      assertEquals(1, hub.listeners(), s.toString());
      hub.publish(List.of(started));
      assertEquals(List.of(image, started), got);
    }
    hub.publish(List.of(started));
    assertEquals(2, got.size(), "closed subscriptions get nothing");
    assertEquals(0, hub.listeners());
  }
}
