package io.jrkt.cli;

import io.jrkt.cli.image.ImageCommands;
import io.jrkt.sys.Native;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Entry point of {@code jrkt}: global flags, command lookup (unique prefixes work), exit codes. */
public final class Main {
  /** The rkt release whose CLI, layout and API jrkt follows. */
  public static final String RKT_VERSION = "1.30.0";
  public static final String JRKT_VERSION = "0.1.0";
  public static final String APPC_VERSION = "0.8.11";

  private static final Set<String> INSECURE_OPTIONS = Set.of("none", "image", "tls", "ondisk",
      "http", "pubkey", "capabilities", "paths", "seccomp", "all-fetch", "all-run", "all");

  private Main() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
    int code = run(Arrays.asList(args), out, System.err);
    out.flush();
    System.exit(code);
  }

  /** Runs one invocation; returns the exit code. */
  public static int run(List<String> argv, PrintStream out, PrintStream err) {
    List<Command> commands = new ArrayList<>(Commands.all());
    commands.addAll(ImageCommands.all());

    // Global flags may come before the command name.
    List<String> args = new ArrayList<>(argv);
    List<String> leadingGlobals = new ArrayList<>();
    Flags probe = globalFlags(new Flags());
    while (!args.isEmpty() && args.get(0).startsWith("--") && !args.get(0).equals("--")) {
      String a = args.remove(0);
      leadingGlobals.add(a);
      String name = a.substring(2).split("=", 2)[0];
      if (!a.contains("=") && probe.isDefined(name) && !probe.isBool(name) && !args.isEmpty()) {
        leadingGlobals.add(args.remove(0));
      }
    }
    if (args.isEmpty()) {
      if (leadingGlobals.contains("--help") || leadingGlobals.contains("-h")) {
        out.print(help(commands));
        return 0;
      }
      err.println("missing command");
      err.print(help(commands));
      return 2;
    }
    String word = args.remove(0);
    if (word.equals("help") || word.equals("-h")) {
      if (args.isEmpty() || word.equals("-h")) {
        out.print(help(commands));
        return 0;
      }
      // `help CMD [SUB]` is `CMD [SUB] --help`, as with rkt.
      word = args.remove(0);
      args.add("--help");
    }
    Command cmd;
    try {
      cmd = lookup(commands, word, args);
    } catch (CliException e) {
      err.println(e.getMessage());
      return e.exitCode();
    }
    String prefix = cmd.name();
    try {
      Flags flags = globalFlags(new Flags());
      flags.bool("help", "help for " + cmd.name());
      cmd.define(flags);
      List<String> all = new ArrayList<>(leadingGlobals);
      all.addAll(args);
      List<String> positional = flags.parse(all, cmd.interspersed());
      if (flags.getBool("help")) {
        out.print("Usage:\n  jrkt " + cmd.name() + " " + cmd.usage() + "\n\n" + cmd.summary()
            + "\n\nFlags:\n" + flags.describe());
        return 0;
      }
      Context ctx = context(flags, out, err);
      if (cmd.needsRoot()) {
        Native.load();
        if (Native.geteuid() != 0) {
          throw new CliException("cannot run as unprivileged user");
        }
      }
      return cmd.run(ctx, flags, positional);
    } catch (CliException e) {
      err.println(prefix + ": " + e.getMessage());
      return e.exitCode();
    } catch (RuntimeException e) {
      // A bug, not bad input; still one line and rkt's exit code, the trace only with --debug.
      err.println(prefix + ": internal error: " + e);
      if (argv.contains("--debug") || argv.contains("--debug=true")) {
        e.printStackTrace(err);
      }
      return 254;
    }
  }

  static Flags globalFlags(Flags f) {
    return f.bool("debug", "print out more debug information to stderr")
        .string("dir", "/var/lib/rkt", "rkt data directory")
        .string("system-config", "/usr/lib/rkt", "system configuration directory")
        .string("local-config", "/etc/rkt", "local configuration directory")
        .string("user-config", "", "user configuration directory")
        .string("insecure-options", "none", "comma-separated list of security features to disable: "
            + "none, image, tls, ondisk, http, pubkey, capabilities, paths, seccomp, all-fetch, all-run, all")
        .bool("trust-keys-from-https", "automatically trust gpg keys fetched from https");
  }

  static Context context(Flags f, PrintStream out, PrintStream err) throws CliException {
    String dir = f.getString("dir");
    if (dir.isEmpty()) {
      throw new CliException("--dir must not be empty");
    }
    Set<String> insecure = new LinkedHashSet<>();
    for (String o : f.getString("insecure-options").split(",")) {
      String opt = o.trim();
      if (opt.isEmpty()) {
        continue;
      }
      if (!INSECURE_OPTIONS.contains(opt)) {
        throw new CliException("--insecure-options: unknown option \"" + opt + "\"");
      }
      switch (opt) {
        case "all-fetch": insecure.addAll(List.of("image", "tls", "http", "pubkey")); break;
        case "all-run": insecure.addAll(List.of("capabilities", "paths", "seccomp")); break;
        case "all":
          insecure.addAll(List.of("image", "tls", "http", "pubkey", "capabilities", "paths",
              "seccomp", "ondisk"));
          break;
        case "none": break;
        default: insecure.add(opt);
      }
    }
    String bin = System.getProperty("jrkt.bin", ".");
    String user = f.getString("user-config");
    return new Context(Path.of(dir).toAbsolutePath().normalize(),
        Path.of(f.getString("system-config")), Path.of(f.getString("local-config")),
        f.isSet("local-config"), user.isEmpty() ? null : Path.of(user), f.getBool("debug"),
        Set.copyOf(insecure), f.getBool("trust-keys-from-https"), Path.of(bin), out, err);
  }

  /** Finds the command for {@code word} (and, for groups, the next argument, which it removes). */
  static Command lookup(List<Command> commands, String word, List<String> rest)
      throws CliException {
    String top = match(topLevelNames(commands), word, "");
    List<String> subs = new ArrayList<>();
    for (Command c : commands) {
      if (c.name().startsWith(top + " ")) {
        subs.add(c.name().substring(top.length() + 1));
      }
    }
    String full = top;
    if (!subs.isEmpty() && !rest.isEmpty() && !rest.get(0).startsWith("-")) {
      full = top + " " + match(subs, rest.remove(0), top + " ");
    } else if (!subs.isEmpty()) {
      throw new CliException(top + ": missing subcommand; one of: " + String.join(", ", subs));
    }
    for (Command c : commands) {
      if (c.name().equals(full)) {
        return c;
      }
    }
    throw new CliException("unknown command \"" + full + "\"");
  }

  private static List<String> topLevelNames(List<Command> commands) {
    List<String> names = new ArrayList<>();
    for (Command c : commands) {
      String n = c.name().split(" ", 2)[0];
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }

  private static String match(List<String> names, String word, String context)
      throws CliException {
    if (names.contains(word)) {
      return word;
    }
    List<String> hits = new ArrayList<>();
    for (String n : names) {
      if (n.startsWith(word)) {
        hits.add(n);
      }
    }
    if (hits.size() == 1) {
      return hits.get(0);
    }
    if (hits.isEmpty()) {
      throw new CliException("unknown command \"" + context + word + "\" for \"jrkt\"");
    }
    throw new CliException("ambiguous command \"" + context + word + "\": could be "
        + String.join(", ", hits));
  }

  static String help(List<Command> commands) {
    StringBuilder sb = new StringBuilder("jrkt - a pod engine compatible with rkt " + RKT_VERSION
        + "\n\nUsage:\n  jrkt [global flags] <command> [flags] [args]\n\nCommands:\n");
    for (Command c : commands) {
      sb.append(String.format("  %-20s %s%n", c.name(), c.summary()));
    }
    sb.append("\nGlobal flags:\n").append(globalFlags(new Flags()).describe());
    return sb.toString();
  }
}
