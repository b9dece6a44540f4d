package io.jrkt.cli.image;

import io.jrkt.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code jrkt} in-process against one data directory. */
final class Cli {
  final Path dataDir;

  Cli(Path dataDir) {
    this.dataDir = dataDir;
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> argv = new ArrayList<>(List.of("--dir=" + dataDir));
    argv.addAll(List.of(args));
    int exit = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), String.join(" ", args));
  }

  /** {@code fetch --insecure-options=image FILE}; returns the printed short id. */
  String fetch(Path aci) {
    return run("--insecure-options=image", "fetch", aci.toString()).ok().out().trim();
  }

  record Result(int exit, String out, String err, String command) {
    Result ok() {
      if (exit != 0) {
        throw new AssertionError("expected success of \"" + command + "\": " + this);
      }
      return this;
    }

    /** Exit 254 with exactly one line on stderr, starting with {@code prefix}. */
    Result failsWith(String prefix) {
      if (exit != 254 || !err.startsWith(prefix) || err.indexOf('\n') != err.length() - 1) {
        throw new AssertionError("expected exit 254 and one stderr line starting with \""
            + prefix + "\" from \"" + command + "\": " + this);
      }
      return this;
    }

    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n", -1)).subList(0,
          out.split("\n", -1).length - 1);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
