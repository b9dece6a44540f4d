package io.jrkt.appc;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** One environment variable of an app. Names as appc allows them: {@code [A-Za-z_][A-Za-z0-9_.-]*}. */
public record EnvVar(String name, String value) {
  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.\\-]*$");

  public EnvVar {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("environment variable name " + Names.quote(name)
          + " is not valid (a letter or _, then letters, digits, _ . -)");
    }
    Objects.requireNonNull(value, "value");
  }

  /** Parses {@code NAME=VALUE} (the value may be empty or contain {@code =}). */
  public static EnvVar parse(String assignment) throws AppcException {
    int eq = assignment.indexOf('=');
    if (eq < 0) {
      throw new AppcException(Names.quote(assignment) + " is not NAME=VALUE");
    }
    try {
      return new EnvVar(assignment.substring(0, eq), assignment.substring(eq + 1));
    } catch (IllegalArgumentException e) {
      throw new AppcException(e.getMessage());
    }
  }

  /** What is wrong with a list of variables (a duplicate name), or null when nothing is. */
  public static String listProblem(List<EnvVar> env) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < env.size(); i++) {
      if (!seen.add(env.get(i).name())) {
        return "[" + i + "]: duplicate variable " + Names.quote(env.get(i).name());
      }
    }
    return null;
  }
}
