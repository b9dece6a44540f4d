package io.jrkt.appc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ordered, immutable list of annotations with unique names. As in appc, the well-known
 * {@code created} annotation must be an RFC 3339 date, {@code homepage} and
 * {@code documentation} http(s) URLs.
 */
public final class Annotations {
  private static final Annotations EMPTY = new Annotations(List.of());
  private final List<Annotation> annotations;

  private Annotations(List<Annotation> annotations) {
    this.annotations = annotations;
  }

  /** @throws IllegalArgumentException on a duplicate name or a malformed well-known value */
  public static Annotations of(List<Annotation> annotations) {
    String problem = problem(annotations);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return annotations.isEmpty() ? EMPTY : new Annotations(List.copyOf(annotations));
  }

  /** Annotations from a map, in the map's iteration order. */
  public static Annotations of(Map<String, String> annotations) {
    List<Annotation> l = new ArrayList<>(annotations.size());
    annotations.forEach((k, v) -> l.add(new Annotation(k, v)));
    return of(l);
  }

  public static Annotations empty() {
    return EMPTY;
  }

  /** What is wrong with a list of annotations, or null when nothing is. */
  public static String problem(List<Annotation> annotations) {
    Set<String> seen = new HashSet<>();
    for (Annotation a : annotations) {
      if (!seen.add(a.name())) {
        return "duplicate annotation " + Names.quote(a.name());
      }
      String p = valueProblem(a);
      if (p != null) {
        return "annotation " + a.name() + ": " + p;
      }
    }
    return null;
  }

  private static String valueProblem(Annotation a) {
    switch (a.name()) {
      case "created":
        return isRfc3339(a.value()) ? null
            : Names.quote(a.value()) + " is not an RFC 3339 date";
      case "homepage":
      case "documentation":
        try {
          URI u = new URI(a.value());
          String scheme = u.getScheme();
          if ("http".equals(scheme) || "https".equals(scheme)) {
            return null;
          }
          return Names.quote(a.value()) + " is not an http or https URL";
        } catch (URISyntaxException e) {
          return Names.quote(a.value()) + " is not a URL";
        }
      default:
        return null;
    }
  }

  // Checked by hand: java.time costs noticeable class loading on the CLI start path, and
  // docker-converted images always carry a "created" annotation.
  private static final Pattern RFC3339 = Pattern.compile(
      "^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?"
          + "(Z|[+-](\\d{2}):(\\d{2}))$");

  /** A date-time as Go's time.RFC3339 layout accepts it, e.g. 2016-03-04T12:34:56.5+01:00. */
  static boolean isRfc3339(String s) {
    Matcher m = RFC3339.matcher(s);
    if (!m.matches()) {
      return false;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
      return false;
    }
    if (Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
        || Integer.parseInt(m.group(6)) > 59) {
      return false;
    }
    return m.group(9) == null
        || (Integer.parseInt(m.group(9)) <= 23 && Integer.parseInt(m.group(10)) <= 59);
  }

  private static int daysIn(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4: case 6: case 9: case 11:
        return 30;
      default:
        return 31;
    }
  }

  public Optional<String> get(String name) {
    return NamedValueList.get(annotations, name);
  }

  public List<Annotation> asList() {
    return annotations;
  }

  /** A copy with the annotation set: replaced in place when present, appended otherwise. */
  public Annotations with(String name, String value) {
    return of(NamedValueList.with(annotations, new Annotation(name, value)));
  }

  /** A copy without the named annotation. */
  public Annotations without(String name) {
    List<Annotation> l = NamedValueList.without(annotations, name);
    return l.size() == annotations.size() ? this : of(l);
  }

  public boolean isEmpty() {
    return annotations.isEmpty();
  }

  public int size() {
    return annotations.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Annotations && ((Annotations) o).annotations.equals(annotations);
  }

  @Override
  public int hashCode() {
    return annotations.hashCode();
  }

  @Override
  public String toString() {
    return NamedValueList.join(annotations);
  }
}
