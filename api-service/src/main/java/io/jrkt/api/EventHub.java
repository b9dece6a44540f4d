package io.jrkt.api;

import io.jrkt.api.v1alpha.Event;
import io.jrkt.api.v1alpha.EventFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans events out to listeners and keeps the recent ones, so that a listener asking for events
 * since a past time gets those the service saw since it started.
 */
final class EventHub {
  /** A registered listener; {@link #close} unregisters it. */
  final class Subscription implements AutoCloseable {
    private final EventFilter filter;
    private final Consumer<List<Event>> listener;

    private Subscription(EventFilter filter, Consumer<List<Event>> listener) {
      this.filter = filter;
      this.listener = listener;
    }

    private void offer(List<Event> events) {
      List<Event> mine = new ArrayList<>();
      for (Event e : events) {
        if (EventFilters.matches(e, filter)) {
          mine.add(e);
        }
      }
      if (!mine.isEmpty()) {
        listener.accept(mine);
      }
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }

  private final int historySize;
  private final ArrayDeque<Event> history = new ArrayDeque<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

  EventHub(int historySize) {
    this.historySize = historySize;
  }

  /** Delivers new events to every listener whose filter they pass. */
  synchronized void publish(List<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    for (Event e : events) {
      if (history.size() == historySize) {
        history.removeFirst();
      }
      history.addLast(e);
    }
    for (Subscription s : subscriptions) {
      s.offer(events);
    }
  }

  /**
   * Registers a listener. With a since time, the remembered events from then on are delivered
   * first, so nothing published meanwhile is lost or repeated.
   */
  synchronized Subscription subscribe(EventFilter filter, Consumer<List<Event>> listener) {
    Subscription s = new Subscription(filter, listener);
    if (filter.getSinceTime() > 0) {
      s.offer(new ArrayList<>(history));
    }
    subscriptions.add(s);
    return s;
  }

  int listeners() {
    return subscriptions.size();
  }
}
