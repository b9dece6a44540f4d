package io.jrkt.appc;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of the values of the isolators appc defines and rkt applies. */
final class IsolatorValues {
  private IsolatorValues() {}

  private static final Pattern CAPABILITY = Pattern.compile("^CAP_[A-Z0-9_]+$");
  private static final Pattern ERRNO = Pattern.compile("^E[A-Z0-9]+$");
  private static final Set<String> KNOWN = Set.of(Isolator.MEMORY, Isolator.CPU,
      Isolator.BLOCK_BANDWIDTH, Isolator.BLOCK_IOPS, Isolator.NETWORK_BANDWIDTH,
      Isolator.CPU_SHARES, Isolator.OOM_SCORE_ADJ, Isolator.CAPABILITIES_RETAIN,
      Isolator.CAPABILITIES_REMOVE, Isolator.NO_NEW_PRIVILEGES, Isolator.SECCOMP_RETAIN,
      Isolator.SECCOMP_REMOVE, Isolator.SELINUX_CONTEXT, Isolator.SYSCTL);

  static boolean isKnown(String name) {
    return KNOWN.contains(name);
  }

  /** The problem with a (frozen) value for the named isolator, or null when it is fine. */
  static String problem(String name, Object v) {
    switch (name) {
      case Isolator.MEMORY:
      case Isolator.CPU:
        return resource(v, false);
      case Isolator.BLOCK_BANDWIDTH:
      case Isolator.BLOCK_IOPS:
      case Isolator.NETWORK_BANDWIDTH:
        // appc: these are host-wide defaults only, so "default" must be true and no request.
        return resource(v, true);
      case Isolator.CPU_SHARES:
        return wholeNumber(v, 2, 262144);
      case Isolator.OOM_SCORE_ADJ:
        return wholeNumber(v, -1000, 1000);
      case Isolator.NO_NEW_PRIVILEGES:
        return v instanceof Boolean ? null : "value must be true or false, got " + describe(v);
      case Isolator.CAPABILITIES_RETAIN:
      case Isolator.CAPABILITIES_REMOVE:
        return set(v, CAPABILITY, "a capability name like CAP_NET_ADMIN", false);
      case Isolator.SECCOMP_RETAIN:
      case Isolator.SECCOMP_REMOVE:
        return set(v, null, "a syscall name or @group", true);
      case Isolator.SELINUX_CONTEXT:
        return selinux(v);
      case Isolator.SYSCTL:
        return stringMap(v);
      default:
        return null;
    }
  }

  /** The text of a quantity as JSON gives it: a string, or a bare number. */
  static String quantityText(Object q) {
    if (q instanceof String) {
      return (String) q;
    }
    if (q instanceof Long) {
      return q.toString();
    }
    if (q instanceof BigDecimal) {
      return ((BigDecimal) q).toPlainString();
    }
    return null;
  }

  private static String resource(Object v, boolean hostDefault) {
    if (!(v instanceof Map)) {
      return "value must be an object like {\"request\": \"128M\", \"limit\": \"1G\"}, got "
          + describe(v);
    }
    Map<?, ?> m = (Map<?, ?>) v;
    Object def = m.get("default");
    if (def != null && !(def instanceof Boolean)) {
      return "default must be true or false, got " + describe(def);
    }
    boolean isDefault = Boolean.TRUE.equals(def);
    if (hostDefault && !isDefault) {
      return "default must be true";
    }
    if (!hostDefault && isDefault) {
      return "default must be false";
    }
    if (hostDefault && m.get("request") != null) {
      return "request is not supported by this resource";
    }
    for (String key : List.of("request", "limit")) {
      Object q = m.get(key);
      if (q == null) {
        continue;
      }
      String text = quantityText(q);
      Quantity parsed = Quantity.parseOrNull(text);
      if (parsed == null) {
        return key + " " + (text != null ? Names.quote(text) : describe(q))
            + " is not a quantity (e.g. 128M, 1Gi, 500m, 1)";
      }
      if (parsed.isNegative()) {
        return key + " " + Names.quote(text) + " must not be negative";
      }
    }
    return null;
  }

  private static String wholeNumber(Object v, long min, long max) {
    if (!(v instanceof Long)) {
      return "value must be a whole number from " + min + " to " + max + ", got " + describe(v);
    }
    long n = (Long) v;
    if (n < min || n > max) {
      return "value must be from " + min + " to " + max + ", got " + n;
    }
    return null;
  }

  private static String set(Object v, Pattern element, String elementWhat, boolean withErrno) {
    if (!(v instanceof Map) || !(((Map<?, ?>) v).get("set") instanceof List)) {
      return "value must be an object with a \"set\" array, got " + describe(v);
    }
    Map<?, ?> m = (Map<?, ?>) v;
    List<?> set = (List<?>) m.get("set");
    if (set.isEmpty()) {
      return "set must not be empty";
    }
    for (int i = 0; i < set.size(); i++) {
      Object e = set.get(i);
      if (!(e instanceof String) || ((String) e).isEmpty()
          || (element != null && !element.matcher((String) e).matches())) {
        return "set[" + i + "]: " + describe(e) + " is not " + elementWhat;
      }
    }
    Object errno = m.get("errno");
    if (errno != null) {
      if (!withErrno) {
        return "errno is not allowed here";
      }
      if (!(errno instanceof String)
          || (!((String) errno).isEmpty() && !ERRNO.matcher((String) errno).matches())) {
        return "errno " + describe(errno) + " is not an errno name like EPERM";
      }
    }
    return null;
  }

  private static String selinux(Object v) {
    if (!(v instanceof Map)) {
      return "value must be an object with user, role, type and level, got " + describe(v);
    }
    Map<?, ?> m = (Map<?, ?>) v;
    for (String key : List.of("user", "role", "type", "level")) {
      Object s = m.get(key);
      if (!(s instanceof String) || ((String) s).isEmpty()) {
        return key + " must be a non-empty string";
      }
      if (!key.equals("level") && ((String) s).contains(":")) {
        return key + " " + describe(s) + " must not contain ':'";
      }
    }
    return null;
  }

  private static String stringMap(Object v) {
    if (!(v instanceof Map)) {
      return "value must be an object of strings, got " + describe(v);
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      if (!(e.getValue() instanceof String)) {
        return Names.quote(String.valueOf(e.getKey())) + " must map to a string, got "
            + describe(e.getValue());
      }
    }
    return null;
  }

  /** A short rendering of a JSON value for messages. */
  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return Names.quote((String) v);
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    return String.valueOf(v);
  }
}
