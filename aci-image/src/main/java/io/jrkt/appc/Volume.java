package io.jrkt.appc;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pod volume. {@code host}: a host directory ({@code source}, absolute) bind-mounted, with
 * optional {@code readOnly} and {@code recursive}. {@code empty}: a fresh directory with
 * {@code mode} (octal string, default {@code 0755}), {@code uid} and {@code gid} (default 0),
 * which are filled in when not given, as appc does. Unset optional fields are null.
 */
public record Volume(AcName name, String kind, String source, Boolean readOnly, Boolean recursive,
    String mode, Integer uid, Integer gid) {
  public static final String HOST = "host";
  public static final String EMPTY = "empty";
  public static final String DEFAULT_MODE = "0755";
  private static final Pattern OCTAL_MODE = Pattern.compile("^[0-7]{1,4}$");

  public Volume {
    Objects.requireNonNull(name, "name");
    if (source != null && source.isEmpty()) {
      source = null;
    }
    if (EMPTY.equals(kind)) {
      if (source != null) {
        throw problem(name, "source is not allowed for an empty volume");
      }
      mode = mode == null ? DEFAULT_MODE : mode;
      uid = uid == null ? Integer.valueOf(0) : uid;
      gid = gid == null ? Integer.valueOf(0) : gid;
      if (!OCTAL_MODE.matcher(mode).matches()) {
        throw problem(name, "mode " + Names.quote(mode) + " is not an octal mode like 0755");
      }
      if (uid < 0 || gid < 0) {
        throw problem(name, "uid and gid must not be negative");
      }
    } else if (HOST.equals(kind)) {
      if (source == null) {
        throw problem(name, "source is required for a host volume");
      }
      if (!source.startsWith("/")) {
        throw problem(name, "source " + Names.quote(source) + " must be an absolute path");
      }
      if (mode != null || uid != null || gid != null) {
        throw problem(name, "mode, uid and gid are only allowed for an empty volume");
      }
    } else {
      throw problem(name, "kind " + Names.quote(kind) + " is not one of \"host\", \"empty\"");
    }
  }

  private static IllegalArgumentException problem(AcName name, String what) {
    return new IllegalArgumentException("volume " + name + ": " + what);
  }

  public static Volume host(AcName name, String source, Boolean readOnly, Boolean recursive) {
    return new Volume(name, HOST, source, readOnly, recursive, null, null, null);
  }

  public static Volume empty(AcName name, Boolean readOnly) {
    return new Volume(name, EMPTY, null, readOnly, null, null, null, null);
  }

  public boolean isHost() {
    return HOST.equals(kind);
  }

  public boolean isEmptyKind() {
    return EMPTY.equals(kind);
  }

  /** Whether the volume is read-only (unset means read-write). */
  public boolean isReadOnly() {
    return Boolean.TRUE.equals(readOnly);
  }

  /**
   * Parses rkt's {@code --volume} syntax: the name, then comma-separated {@code key=value}
   * pairs: {@code kind}, {@code source}, {@code readOnly}, {@code recursive}, {@code mode},
   * {@code uid}, {@code gid}. E.g. {@code data,kind=host,source=/srv/data,readOnly=true}.
   */
  public static Volume parseCli(String s) throws AppcException {
    String[] parts = s.split(",", -1);
    AcName name;
    try {
      name = AcName.parse(parts[0]);
    } catch (AppcException e) {
      throw new AppcException("volume " + Names.quote(s) + ": name " + e.getMessage());
    }
    String kind = null;
    String source = null;
    Boolean readOnly = null;
    Boolean recursive = null;
    String mode = null;
    Integer uid = null;
    Integer gid = null;
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw cliProblem(s, Names.quote(part) + " is not key=value");
      }
      String key = part.substring(0, eq);
      String value = part.substring(eq + 1);
      if (!seen.add(key)) {
        throw cliProblem(s, key + " is given twice");
      }
      switch (key) {
        case "kind": kind = value; break;
        case "source": source = value; break;
        case "readOnly": readOnly = cliBool(s, key, value); break;
        case "recursive": recursive = cliBool(s, key, value); break;
        case "mode": mode = value; break;
        case "uid": uid = cliInt(s, key, value); break;
        case "gid": gid = cliInt(s, key, value); break;
        default:
          throw cliProblem(s, "unknown parameter " + Names.quote(key)
              + " (known: kind, source, readOnly, recursive, mode, uid, gid)");
      }
    }
    if (kind == null) {
      throw cliProblem(s, "kind is required (host or empty)");
    }
    try {
      return new Volume(name, kind, source, readOnly, recursive, mode, uid, gid);
    } catch (IllegalArgumentException e) {
      // Say which flag value is wrong rather than which volume name.
      String prefix = "volume " + name + ": ";
      String what = e.getMessage().startsWith(prefix)
          ? e.getMessage().substring(prefix.length()) : e.getMessage();
      throw cliProblem(s, what);
    }
  }

  private static AppcException cliProblem(String s, String what) {
    return new AppcException("volume " + Names.quote(s) + ": " + what);
  }

  /** Booleans as Go's strconv.ParseBool reads them. */
  private static Boolean cliBool(String s, String key, String v) throws AppcException {
    switch (v) {
      case "1": case "t": case "T": case "true": case "TRUE": case "True":
        return Boolean.TRUE;
      case "0": case "f": case "F": case "false": case "FALSE": case "False":
        return Boolean.FALSE;
      default:
        throw cliProblem(s, key + " " + Names.quote(v) + " is not true or false");
    }
  }

  private static Integer cliInt(String s, String key, String v) throws AppcException {
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw cliProblem(s, key + " " + Names.quote(v) + " is not a number");
    }
  }

  /** The {@code --volume} form of this volume, which {@link #parseCli} reads back. */
  public String toCli() {
    StringBuilder sb = new StringBuilder(name.value()).append(",kind=").append(kind);
    if (source != null) {
      sb.append(",source=").append(source);
    }
    if (readOnly != null) {
      sb.append(",readOnly=").append(readOnly);
    }
    if (recursive != null) {
      sb.append(",recursive=").append(recursive);
    }
    if (mode != null) {
      sb.append(",mode=").append(mode);
    }
    if (uid != null) {
      sb.append(",uid=").append(uid);
    }
    if (gid != null) {
      sb.append(",gid=").append(gid);
    }
    return sb.toString();
  }
}
