package io.jrkt.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Go-pflag-style flags: {@code --name=value}, {@code --name value}, {@code --bool},
 * {@code --bool=false}; {@code --} ends flags. Repeatable flags collect every value in order.
 */
public final class Flags {
  private enum Kind { BOOL, STRING, LIST, OPTIONAL }

  private static final class Def {
    final Kind kind;
    final String defaultValue;
    final String help;
    /** For OPTIONAL flags: the value of a bare {@code --name}. */
    final String bareValue;

    Def(Kind kind, String defaultValue, String help) {
      this(kind, defaultValue, help, null);
    }

    Def(Kind kind, String defaultValue, String help, String bareValue) {
      this.kind = kind;
      this.defaultValue = defaultValue;
      this.help = help;
      this.bareValue = bareValue;
    }
  }

  private final Map<String, Def> defs = new LinkedHashMap<>();
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  public Flags bool(String name, String help) {
    defs.put(name, new Def(Kind.BOOL, "false", help));
    return this;
  }

  /** A string flag; {@code defaultValue} may be null (then {@link #isSet} tells absence). */
  public Flags string(String name, String defaultValue, String help) {
    defs.put(name, new Def(Kind.STRING, defaultValue, help));
    return this;
  }

  /**
   * A string flag whose value is optional, as pflag's NoOptDefVal: a bare {@code --name} means
   * {@code bareValue} and never takes the next argument; {@code --name=v} sets v. Used for rkt's
   * bool-or-duration flags ({@code status --wait}).
   */
  public Flags optional(String name, String defaultValue, String bareValue, String help) {
    defs.put(name, new Def(Kind.OPTIONAL, defaultValue, help, bareValue));
    return this;
  }

  /**
   * A boolean flag that defaults to true, as pflag's bool flags can: a bare {@code --name} means
   * true and {@code --name=false} turns it off. Read it with {@link #parseBool}.
   */
  public Flags boolTrueByDefault(String name, String help) {
    return optional(name, "true", "true", help);
  }

  /** A repeatable flag. */
  public Flags list(String name, String help) {
    defs.put(name, new Def(Kind.LIST, null, help));
    return this;
  }

  public boolean isDefined(String name) {
    return defs.containsKey(name);
  }

  /** Whether the flag is a boolean one (it takes no separate value argument). */
  public boolean isBool(String name) {
    Def d = defs.get(name);
    return d != null && d.kind == Kind.BOOL;
  }

  /**
   * Parses {@code args}, returning the positional arguments. With {@code interspersed} false,
   * parsing stops at the first positional argument and everything from it on is returned as is.
   */
  public List<String> parse(List<String> args, boolean interspersed) throws CliException {
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        rest.addAll(args.subList(interspersed ? i + 1 : i, args.size()));
        return rest;
      }
      if (!a.startsWith("--") || a.length() == 2) {
        if (a.equals("-h")) {
          a = "--help";
        } else {
          if (!interspersed) {
            rest.addAll(args.subList(i, args.size()));
            return rest;
          }
          rest.add(a);
          continue;
        }
      }
      String body = a.substring(2);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      Def d = defs.get(name);
      if (d == null) {
        throw new CliException("unknown flag: --" + name);
      }
      String value;
      if (eq >= 0) {
        value = body.substring(eq + 1);
      } else if (d.kind == Kind.BOOL) {
        value = "true";
      } else if (d.kind == Kind.OPTIONAL) {
        value = d.bareValue;
      } else {
        if (i + 1 >= args.size()) {
          throw new CliException("flag needs an argument: --" + name);
        }
        value = args.get(++i);
      }
      if (d.kind == Kind.BOOL && !value.equals("true") && !value.equals("false")) {
        throw new CliException("invalid argument \"" + value + "\" for --" + name
            + ": must be true or false");
      }
      List<String> vs = values.computeIfAbsent(name, k -> new ArrayList<>());
      if (d.kind != Kind.LIST) {
        vs.clear();
      }
      vs.add(value);
    }
    return rest;
  }

  public boolean isSet(String name) {
    return values.containsKey(name);
  }

  public boolean getBool(String name) {
    return Boolean.parseBoolean(getString(name));
  }

  /** A flag's value as a boolean in Go's {@code strconv.ParseBool} spellings, as pflag reads it. */
  public boolean parseBool(String name) throws CliException {
    String v = getString(name);
    switch (v) {
      case "1": case "t": case "T": case "true": case "TRUE": case "True":
        return true;
      case "0": case "f": case "F": case "false": case "FALSE": case "False":
        return false;
      default:
        throw new CliException("invalid argument \"" + v + "\" for --" + name
            + ": must be true or false");
    }
  }

  public String getString(String name) {
    Def d = require(name);
    List<String> vs = values.get(name);
    return vs == null ? d.defaultValue : vs.get(vs.size() - 1);
  }

  public List<String> getList(String name) {
    require(name);
    List<String> vs = values.get(name);
    return vs == null ? List.of() : List.copyOf(vs);
  }

  private Def require(String name) {
    Def d = defs.get(name);
    if (d == null) {
      throw new IllegalArgumentException("flag not defined: " + name);
    }
    return d;
  }

  /** Help lines, one per flag. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Def> e : defs.entrySet()) {
      Def d = e.getValue();
      String flag = "--" + e.getKey() + (d.kind == Kind.BOOL ? "" : "=" + (d.defaultValue == null
          ? "" : d.defaultValue));
      sb.append(String.format("      %-32s %s%n", flag, d.help));
    }
    return sb.toString();
  }
}
