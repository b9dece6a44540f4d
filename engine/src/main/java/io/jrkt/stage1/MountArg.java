package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import java.util.Objects;

/**
 * A {@code --mount volume=NAME,target=PATH} flag: puts pod volume NAME at PATH inside an app.
 * Given before the first image it applies to every app.
 */
public record MountArg(AcName volume, String target) {
  public MountArg {
    Objects.requireNonNull(volume, "volume");
    if (target == null || !target.startsWith("/")) {
      throw new IllegalArgumentException("mount target must be an absolute path: " + target);
    }
  }

  public static MountArg parse(String text) throws ArgsException {
    String volume = null;
    String target = null;
    for (String part : text.split(",", -1)) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? null : part.substring(eq + 1);
      if (value == null || value.isEmpty()) {
        throw new ArgsException("--mount=" + text + ": \"" + part
            + "\" is not KEY=VALUE (want volume=NAME,target=PATH)");
      }
      switch (key) {
        case "volume":
          volume = value;
          break;
        case "target":
          target = value;
          break;
        default:
          throw new ArgsException("--mount=" + text + ": unknown key \"" + key
              + "\" (want volume=NAME,target=PATH)");
      }
    }
    if (volume == null || target == null) {
      throw new ArgsException("--mount=" + text + ": want volume=NAME,target=PATH");
    }
    if (!AcName.isValid(volume)) {
      throw new ArgsException("--mount=" + text + ": volume name \"" + volume
          + "\" is not a valid AC Name (lowercase letters and digits, joined by single dashes)");
    }
    if (!target.startsWith("/")) {
      throw new ArgsException("--mount=" + text + ": target \"" + target
          + "\" must be an absolute path");
    }
    return new MountArg(new AcName(volume), target);
  }
}
