package io.jrkt.appc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@link Labels} and {@link Annotations} do alike with their ordered lists of uniquely named
 * entries.
 */
final class NamedValueList {
  private NamedValueList() {}

  static Optional<String> get(List<? extends NamedValue> list, String name) {
    for (NamedValue e : list) {
      if (e.name().equals(name)) {
        return Optional.of(e.value());
      }
    }
    return Optional.empty();
  }

  /** A copy with {@code entry}: replacing the one of its name in place, or appended. */
  static <T extends NamedValue> List<T> with(List<T> list, T entry) {
    List<T> l = new ArrayList<>(list);
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).name().equals(entry.name())) {
        l.set(i, entry);
        return l;
      }
    }
    l.add(entry);
    return l;
  }

  /** A copy without the entry named {@code name}. */
  static <T extends NamedValue> List<T> without(List<T> list, String name) {
    List<T> l = new ArrayList<>(list);
    l.removeIf(x -> x.name().equals(name));
    return l;
  }

  /** {@code name=value,name=value}. */
  static String join(List<? extends NamedValue> list) {
    StringBuilder sb = new StringBuilder();
    for (NamedValue e : list) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.name()).append('=').append(e.value());
    }
    return sb.toString();
  }
}
