package io.jrkt.appc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered, immutable list of labels with unique names. As in appc, the name {@code name} is
 * reserved, and an {@code os} label (with its {@code arch}) must be a known pair.
 */
public final class Labels {
  private static final Labels EMPTY = new Labels(List.of());
  private final List<Label> labels;

  private Labels(List<Label> labels) {
    this.labels = labels;
  }

  /** @throws IllegalArgumentException on a duplicate or reserved name or a bad os/arch */
  public static Labels of(List<Label> labels) {
    String problem = problem(labels);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return labels.isEmpty() ? EMPTY : new Labels(List.copyOf(labels));
  }

  /** Labels from a map, in the map's iteration order. */
  public static Labels of(Map<String, String> labels) {
    List<Label> l = new ArrayList<>(labels.size());
    labels.forEach((k, v) -> l.add(new Label(k, v)));
    return of(l);
  }

  public static Labels empty() {
    return EMPTY;
  }

  /** What is wrong with a list of labels, or null when nothing is. */
  public static String problem(List<Label> labels) {
    Set<String> seen = new HashSet<>();
    String os = null;
    String arch = null;
    for (Label l : labels) {
      if (l.name().equals("name")) {
        return "label name \"name\" is reserved";
      }
      if (!seen.add(l.name())) {
        return "duplicate label " + Names.quote(l.name());
      }
      if (l.name().equals("os")) {
        os = l.value();
      } else if (l.name().equals("arch")) {
        arch = l.value();
      }
    }
    // As in appc, arch is only checked together with os.
    return os == null ? null : OsArch.problem(os, arch);
  }

  public Optional<String> get(String name) {
    return NamedValueList.get(labels, name);
  }

  public List<Label> asList() {
    return labels;
  }

  /** A copy with the label set: replaced in place when present, appended otherwise. */
  public Labels with(String name, String value) {
    return of(NamedValueList.with(labels, new Label(name, value)));
  }

  /** A copy without the named label. */
  public Labels without(String name) {
    List<Label> l = NamedValueList.without(labels, name);
    return l.size() == labels.size() ? this : of(l);
  }

  /** Whether every label of {@code wanted} is present here with the same value. */
  public boolean containsAll(Labels wanted) {
    for (Label w : wanted.labels) {
      if (!get(w.name()).equals(Optional.of(w.value()))) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return labels.isEmpty();
  }

  public int size() {
    return labels.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels && ((Labels) o).labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return labels.hashCode();
  }

  @Override
  public String toString() {
    return NamedValueList.join(labels);
  }
}
