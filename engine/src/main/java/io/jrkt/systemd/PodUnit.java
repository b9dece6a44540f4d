package io.jrkt.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The transient service that runs one pod: {@code <launcher> <global flags> run-prepared <run
 * flags> <uuid>}, killed as rkt's units were (KillMode=mixed: SIGTERM to the stage1, SIGKILL to
 * what is left after the stop timeout), output to the journal.
 */
public record PodUnit(UnitName name, String description, List<String> execStart) {
  public PodUnit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    execStart = List.copyOf(execStart);
    if (execStart.isEmpty() || !execStart.get(0).startsWith("/")) {
      throw new IllegalArgumentException("ExecStart needs an absolute program path: "
          + execStart);
    }
  }

  /**
   * The command line of the unit: the launcher, the global flags, {@code run-prepared}, the run
   * flags, the pod's UUID.
   */
  public static List<String> runPreparedCommand(String launcher, List<String> globalFlags,
      List<String> runFlags, String uuid) {
    List<String> argv = new ArrayList<>();
    argv.add(launcher);
    argv.addAll(globalFlags);
    argv.add("run-prepared");
    argv.addAll(runFlags);
    argv.add(uuid);
    return argv;
  }

  /** The properties StartTransientUnit gets, in a fixed order. */
  public List<UnitProperty> properties() {
    List<UnitProperty> p = new ArrayList<>();
    p.add(UnitProperty.text("Description", description));
    // exec: the unit is active only once the launcher was exec'd, so a missing java or
    // launcher fails the start instead of a unit that dies right after "active".
    p.add(UnitProperty.text("Type", "exec"));
    p.add(new UnitProperty("ExecStart", new UnitProperty.Commands(List.of(
        new UnitProperty.ExecCommand(execStart.get(0), execStart, false)))));
    p.add(UnitProperty.text("KillMode", "mixed"));
    p.add(UnitProperty.flag("SendSIGKILL", true));
    p.add(UnitProperty.text("StandardOutput", "journal"));
    p.add(UnitProperty.text("StandardError", "journal"));
    return p;
  }

  /**
   * The properties as text, one {@code Name signature value} line each; what the golden tests
   * compare and what {@code --debug} prints.
   */
  public static String render(List<UnitProperty> properties) {
    StringBuilder sb = new StringBuilder();
    for (UnitProperty p : properties) {
      sb.append(p.name()).append(' ').append(p.value().signature()).append(' ');
      UnitProperty.Value v = p.value();
      if (v instanceof UnitProperty.Text t) {
        quote(sb, t.text());
      } else if (v instanceof UnitProperty.Flag f) {
        sb.append(f.on());
      } else if (v instanceof UnitProperty.Number n) {
        sb.append(n.value());
      } else if (v instanceof UnitProperty.Commands c) {
        sb.append('[');
        for (int i = 0; i < c.commands().size(); i++) {
          UnitProperty.ExecCommand cmd = c.commands().get(i);
          sb.append(i == 0 ? "" : ", ").append('(');
          quote(sb, cmd.path());
          sb.append(", [");
          for (int a = 0; a < cmd.argv().size(); a++) {
            if (a > 0) {
              sb.append(", ");
            }
            quote(sb, cmd.argv().get(a));
          }
          sb.append("], ").append(cmd.ignoreFailure()).append(')');
        }
        sb.append(']');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    sb.append('"');
  }
}
