package io.jrkt.appc;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An isolator: a name (AC Identifier) and its value as parsed JSON (the JDK types of
 * {@link io.jrkt.json.Json}, frozen). Values of the isolators rkt knows are checked on
 * construction; others are kept as they are.
 */
public record Isolator(String name, Object value) {
  public static final String MEMORY = "resource/memory";
  public static final String CPU = "resource/cpu";
  public static final String BLOCK_BANDWIDTH = "resource/block-bandwidth";
  public static final String BLOCK_IOPS = "resource/block-iops";
  public static final String NETWORK_BANDWIDTH = "resource/network-bandwidth";
  public static final String CPU_SHARES = "os/linux/cpu-shares";
  public static final String OOM_SCORE_ADJ = "os/linux/oom-score-adj";
  public static final String CAPABILITIES_RETAIN = "os/linux/capabilities-retain-set";
  public static final String CAPABILITIES_REMOVE = "os/linux/capabilities-remove-set";
  public static final String NO_NEW_PRIVILEGES = "os/linux/no-new-privileges";
  public static final String SECCOMP_RETAIN = "os/linux/seccomp-retain-set";
  public static final String SECCOMP_REMOVE = "os/linux/seccomp-remove-set";
  public static final String SELINUX_CONTEXT = "os/linux/selinux-context";
  public static final String SYSCTL = "os/unix/sysctl";

  /** Pairs that cannot be combined in one isolator list. */
  private static final Map<String, String> CONFLICTS = Map.of(
      CAPABILITIES_RETAIN, CAPABILITIES_REMOVE, CAPABILITIES_REMOVE, CAPABILITIES_RETAIN,
      SECCOMP_RETAIN, SECCOMP_REMOVE, SECCOMP_REMOVE, SECCOMP_RETAIN);

  /** @throws IllegalArgumentException when the name is not an AC Identifier or the value is bad */
  public Isolator {
    if (!AcIdentifier.isValid(name)) {
      throw new IllegalArgumentException("isolator name " + AcIdentifier.problem(name));
    }
    value = freeze(value);
    String problem = IsolatorValues.problem(name, value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Like the constructor, with a checked exception whose message is the bare problem. */
  public static Isolator parse(String name, Object value) throws AppcException {
    try {
      return new Isolator(name, value);
    } catch (IllegalArgumentException e) {
      throw new AppcException(e.getMessage());
    }
  }

  public boolean isKnown() {
    return IsolatorValues.isKnown(name);
  }

  // ---- factories for the values the CLI flags produce ----

  /** {@code resource/memory} or {@code resource/cpu} style value; null parts are omitted. */
  public static Isolator resource(String name, String request, String limit) {
    Map<String, Object> v = new LinkedHashMap<>();
    if (request != null) {
      v.put("request", request);
    }
    if (limit != null) {
      v.put("limit", limit);
    }
    return new Isolator(name, v);
  }

  public static Isolator cpuShares(long shares) {
    return new Isolator(CPU_SHARES, shares);
  }

  public static Isolator oomScoreAdj(long adj) {
    return new Isolator(OOM_SCORE_ADJ, adj);
  }

  public static Isolator noNewPrivileges(boolean on) {
    return new Isolator(NO_NEW_PRIVILEGES, on);
  }

  /** A capabilities or seccomp set isolator; errno applies to seccomp only and may be null. */
  public static Isolator set(String name, List<String> set, String errno) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("set", new ArrayList<Object>(set));
    if (errno != null) {
      v.put("errno", errno);
    }
    return new Isolator(name, v);
  }

  // ---- typed views ----

  /** The {@code request} of a resource isolator. */
  public Optional<Quantity> request() {
    return quantity("request");
  }

  /** The {@code limit} of a resource isolator. */
  public Optional<Quantity> limit() {
    return quantity("limit");
  }

  private Optional<Quantity> quantity(String key) {
    if (!(value instanceof Map)) {
      return Optional.empty();
    }
    Object q = ((Map<?, ?>) value).get(key);
    return Optional.ofNullable(Quantity.parseOrNull(IsolatorValues.quantityText(q)));
  }

  /** The {@code set} of a capabilities or seccomp isolator (empty for other kinds). */
  public List<String> set() {
    if (value instanceof Map && ((Map<?, ?>) value).get("set") instanceof List) {
      List<String> out = new ArrayList<>();
      for (Object o : (List<?>) ((Map<?, ?>) value).get("set")) {
        out.add(String.valueOf(o));
      }
      return Collections.unmodifiableList(out);
    }
    return List.of();
  }

  /** The {@code errno} of a seccomp isolator. */
  public Optional<String> errno() {
    if (value instanceof Map && ((Map<?, ?>) value).get("errno") instanceof String) {
      String e = (String) ((Map<?, ?>) value).get("errno");
      return e.isEmpty() ? Optional.empty() : Optional.of(e);
    }
    return Optional.empty();
  }

  /** The value as a whole number (cpu-shares, oom-score-adj). */
  public Optional<Long> longValue() {
    return value instanceof Long ? Optional.of((Long) value) : Optional.empty();
  }

  /** The value as a boolean (no-new-privileges). */
  public Optional<Boolean> booleanValue() {
    return value instanceof Boolean ? Optional.of((Boolean) value) : Optional.empty();
  }

  /**
   * What is wrong with a list of isolators as a whole (a known isolator given twice, or a
   * retain-set together with the matching remove-set), or null when nothing is. The message
   * starts with the offending index, e.g. {@code [2] (resource/memory): given twice}.
   */
  public static String listProblem(List<Isolator> isolators) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < isolators.size(); i++) {
      Isolator iso = isolators.get(i);
      if (!iso.isKnown()) {
        continue;
      }
      Integer before = seen.putIfAbsent(iso.name(), i);
      if (before != null) {
        return "[" + i + "] (" + iso.name() + "): given twice (also at [" + before + "])";
      }
      String conflict = CONFLICTS.get(iso.name());
      if (conflict != null && seen.containsKey(conflict)) {
        return "[" + i + "] (" + iso.name() + "): cannot be combined with " + conflict
            + " (at [" + seen.get(conflict) + "])";
      }
    }
    return null;
  }

  /** A deep, unmodifiable copy with numbers normalised so equal JSON gives equal values. */
  static Object freeze(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double || v instanceof Float) {
      return freeze(BigDecimal.valueOf(((Number) v).doubleValue()));
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
        BigDecimal whole = d.setScale(0);
        try {
          return whole.longValueExact();
        } catch (ArithmeticException tooBig) {
          return whole;
        }
      }
      return d.scale() < 0 ? d.setScale(0) : d;
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        m.put(String.valueOf(e.getKey()), freeze(e.getValue()));
      }
      return Collections.unmodifiableMap(m);
    }
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object o : (List<?>) v) {
        l.add(freeze(o));
      }
      return Collections.unmodifiableList(l);
    }
    throw new IllegalArgumentException(
        "isolator value of type " + v.getClass().getName() + " is not JSON");
  }
}
