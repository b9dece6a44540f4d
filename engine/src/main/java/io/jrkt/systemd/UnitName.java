package io.jrkt.systemd;

/**
 * A systemd service unit name, e.g. {@code jrkt-<uuid>.service}. Only the characters systemd
 * accepts in unit names; {@code .service} is added when the name has no suffix.
 */
public record UnitName(String value) {
  /** The pod annotation that marks pods the kubelet manages (their units are k8s_UUID). */
  public static final String KUBELET_ANNOTATION = "rkt.kubernetes.io/managed-by-kubelet";
  private static final int MAX_LENGTH = 255;

  public UnitName {
    String why = invalidReason(value);
    if (why != null) {
      throw new IllegalArgumentException("invalid unit name \"" + value + "\": " + why);
    }
  }

  /** Parses a user-given name ({@code --unit-name}); adds {@code .service} if no suffix. */
  public static UnitName parse(String text) throws SystemdException {
    String name = text.endsWith(".service") ? text : text + ".service";
    String why = invalidReason(name);
    if (why != null) {
      throw new SystemdException(SystemdException.Kind.CALL_FAILED, "invalid unit name \""
          + text + "\": " + why);
    }
    return new UnitName(name);
  }

  /** rkt's and the kubelet's convention: k8s_UUID for kubelet pods, jrkt-UUID otherwise. */
  public static UnitName forPod(String uuid, boolean managedByKubelet) {
    return new UnitName((managedByKubelet ? "k8s_" : "jrkt-") + uuid + ".service");
  }

  private static String invalidReason(String name) {
    if (name == null || !name.endsWith(".service")) {
      return "a service unit name ends with .service";
    }
    String stem = name.substring(0, name.length() - ".service".length());
    if (stem.isEmpty()) {
      return "empty name";
    }
    if (name.length() > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters";
    }
    if (stem.indexOf('@') >= 0) {
      return "templates (@) are not supported";
    }
    for (int i = 0; i < stem.length(); i++) {
      char c = stem.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\';
      if (!ok) {
        return "character '" + c + "' is not allowed (only letters, digits and :-_.\\)";
      }
    }
    return null;
  }

  /**
   * The unit's D-Bus object path: systemd escapes every byte outside [A-Za-z0-9] as _XX, e.g.
   * {@code k8s_test.service} is {@code /org/freedesktop/systemd1/unit/k8s_5ftest_2eservice}.
   */
  public String objectPath() {
    StringBuilder sb = new StringBuilder("/org/freedesktop/systemd1/unit/");
    for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else {
        sb.append('_').append(Character.forDigit((b >> 4) & 0xf, 16))
            .append(Character.forDigit(b & 0xf, 16));
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return value;
  }
}
