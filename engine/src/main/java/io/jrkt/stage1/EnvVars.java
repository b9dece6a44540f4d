package io.jrkt.stage1;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An app's environment as an ordered list of unique variables, and the rules that build it:
 * image environment, then {@code --set-env-file}, then {@code --set-env} (each replacing in
 * place or appending), then {@code --inherit-env} (only variables still missing), then the
 * per-app {@code --environment}.
 */
public final class EnvVars {
  /** appc's rule for variable names. */
  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.\\-]*$");

  private final List<KeyValue> vars = new ArrayList<>();

  public EnvVars() {}

  public EnvVars(List<KeyValue> initial) {
    initial.forEach(this::set);
  }

  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Parses {@code NAME=VALUE} given to {@code flag}; the name must be a valid variable name. */
  public static KeyValue parseAssignment(String flag, String text) throws ArgsException {
    KeyValue kv = KeyValue.parse(flag, text);
    check(flag + "=" + text, kv);
    return kv;
  }

  static void check(String where, KeyValue kv) throws ArgsException {
    if (!isValidName(kv.key())) {
      throw new ArgsException(where + ": \"" + kv.key()
          + "\" is not a valid variable name (a letter or _, then letters, digits, _ . -)");
    }
    if (kv.value().indexOf('\0') >= 0 || kv.value().indexOf('\n') >= 0) {
      throw new ArgsException(where + ": the value of " + kv.key()
          + " contains a newline or NUL, which the app's environment file cannot carry");
    }
  }

  /**
   * Reads a {@code --set-env-file}: one {@code NAME=VALUE} per line; blank lines and lines
   * starting with {@code #} are skipped.
   */
  public static List<KeyValue> parseFile(String fileName, String content) throws ArgsException {
    List<KeyValue> out = new ArrayList<>();
    String[] lines = content.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      String where = "--set-env-file " + fileName + " line " + (i + 1);
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new ArgsException(where + ": want NAME=VALUE, got \"" + line + "\"");
      }
      KeyValue kv = new KeyValue(line.substring(0, eq), line.substring(eq + 1));
      check(where, kv);
      out.add(kv);
    }
    return out;
  }

  /** Sets a variable: replaced where it is, or appended. */
  public EnvVars set(KeyValue kv) {
    for (int i = 0; i < vars.size(); i++) {
      if (vars.get(i).key().equals(kv.key())) {
        vars.set(i, kv);
        return this;
      }
    }
    vars.add(kv);
    return this;
  }

  public EnvVars set(String name, String value) {
    return set(new KeyValue(name, value));
  }

  public EnvVars setAll(List<KeyValue> kvs) {
    kvs.forEach(this::set);
    return this;
  }

  /** Appends the variables of {@code env} that are not set yet, in the map's order. */
  public EnvVars addMissing(Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String v = e.getValue();
      // What the env file cannot carry is left out rather than failing the run.
      if (!contains(e.getKey()) && isValidName(e.getKey()) && v.indexOf('\n') < 0
          && v.indexOf('\0') < 0) {
        vars.add(new KeyValue(e.getKey(), v));
      }
    }
    return this;
  }

  public boolean contains(String name) {
    for (KeyValue kv : vars) {
      if (kv.key().equals(name)) {
        return true;
      }
    }
    return false;
  }

  public List<KeyValue> asList() {
    return List.copyOf(vars);
  }
}
