package io.jrkt.cli;

import java.util.List;

/**
 * One CLI command, e.g. {@code list} or {@code image rm}. Commands are stateless: {@link #define}
 * declares their flags, {@link #run} does the work and returns the process exit code.
 */
public interface Command {
  /** Full name; subcommands carry their group, e.g. {@code "image list"}. */
  String name();

  /** One line for the help text. */
  String summary();

  /** Usage after the command name, e.g. {@code "[--full] UUID"}. */
  default String usage() {
    return "";
  }

  /** Declares this command's own flags (global flags are added by {@link Main}). */
  void define(Flags flags);

  /**
   * Flags must precede positional arguments when false (rkt's run/prepare parse per-app flags
   * after the first image themselves).
   */
  default boolean interspersed() {
    return true;
  }

  /** Whether the command must refuse to run without root, as rkt does. */
  default boolean needsRoot() {
    return false;
  }

  int run(Context ctx, Flags flags, List<String> args) throws CliException;
}
