package io.jrkt.systemd;

import java.util.List;
import java.util.Objects;

/** One property of a transient unit, as StartTransientUnit takes it: a name and a typed value. */
public record UnitProperty(String name, Value value) {
  public UnitProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty property name");
    }
  }

  /** The D-Bus types the unit properties we set use. */
  public sealed interface Value permits Text, Flag, Number, Commands {
    /** The D-Bus signature of the value, e.g. {@code s} or {@code a(sasb)}. */
    String signature();
  }

  /** {@code s}. */
  public record Text(String text) implements Value {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String signature() {
      return "s";
    }
  }

  /** {@code b}. */
  public record Flag(boolean on) implements Value {
    @Override
    public String signature() {
      return "b";
    }
  }

  /** {@code t}: an unsigned 64-bit number, e.g. a time in microseconds. */
  public record Number(long value) implements Value {
    public Number {
      if (value < 0) {
        throw new IllegalArgumentException("negative number " + value);
      }
    }

    @Override
    public String signature() {
      return "t";
    }
  }

  /** {@code a(sasb)}: ExecStart and friends. */
  public record Commands(List<ExecCommand> commands) implements Value {
    public Commands {
      commands = List.copyOf(commands);
    }

    @Override
    public String signature() {
      return "a(sasb)";
    }
  }

  /** One command line: the program's path, its argv (argv[0] included), ignore-failure. */
  public record ExecCommand(String path, List<String> argv, boolean ignoreFailure) {
    public ExecCommand {
      Objects.requireNonNull(path, "path");
      argv = List.copyOf(argv);
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("command path must be absolute: " + path);
      }
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("empty argv for " + path);
      }
    }
  }

  public static UnitProperty text(String name, String value) {
    return new UnitProperty(name, new Text(value));
  }

  public static UnitProperty flag(String name, boolean value) {
    return new UnitProperty(name, new Flag(value));
  }

  public static UnitProperty number(String name, long value) {
    return new UnitProperty(name, new Number(value));
  }
}
