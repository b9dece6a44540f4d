package io.jrkt.appc;

import java.util.regex.Pattern;

/** The {@code acVersion} field: a SemVer 2.0 string such as {@code 0.8.11} or {@code 1.30.0+git}. */
public final class AcVersion {
  private AcVersion() {}

  /** The appc schema version images are written with. */
  public static final String APPC = "0.8.11";

  private static final String IDS = "[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*";
  private static final Pattern SEMVER =
      Pattern.compile("^[0-9]+\\.[0-9]+\\.[0-9]+(-" + IDS + ")?(\\+" + IDS + ")?$");

  public static boolean isValid(String s) {
    return s != null && SEMVER.matcher(s).matches();
  }

  /** @return s, when it is a SemVer string */
  public static String check(String s) throws AppcException {
    if (s == null || s.isEmpty()) {
      throw new AppcException("must be set (a SemVer version like " + APPC + ")");
    }
    if (!isValid(s)) {
      throw new AppcException(Names.quote(s) + " is not a SemVer version (like " + APPC + ")");
    }
    return s;
  }
}
