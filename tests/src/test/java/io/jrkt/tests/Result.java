package io.jrkt.tests;

import java.util.Arrays;
import java.util.List;

/** What one jrkt invocation did: exit code, stdout, stderr. */
record Result(List<String> command, int exit, String out, String err) {
  /** The pod-level failure code rkt uses for every stage0 error. */
  static final int FAILURE = 254;

  /** Non-empty stdout lines. */
  List<String> lines() {
    return nonEmptyLines(out);
  }

  List<String> errLines() {
    return nonEmptyLines(err);
  }

  private static List<String> nonEmptyLines(String s) {
    return Arrays.stream(s.split("\n")).filter(l -> !l.isBlank()).toList();
  }

  /** Fails unless the command exited 0. */
  Result ok() {
    return exits(0);
  }

  /** Fails unless the command exited {@code code}. */
  Result exits(int code) {
    if (exit != code) {
      throw new AssertionError("expected exit " + code + ", got " + exit + " " + summary()
          + "\n" + this);
    }
    return this;
  }

  /** Fails unless the command failed as bad input must: exit 254 and exactly one stderr line. */
  Result rejected() {
    exits(FAILURE);
    if (errLines().size() != 1) {
      throw new AssertionError("expected a one-line error on stderr, got " + errLines().size()
          + " lines " + summary() + "\n" + this);
    }
    return this;
  }

  /** The command and the first stderr line, for the first line of a failure message. */
  String summary() {
    List<String> err = errLines();
    return "from `" + String.join(" ", command.subList(Math.min(2, command.size()),
        command.size())) + "`" + (err.isEmpty() ? "" : " (stderr: " + err.get(0) + ")");
  }

  @Override
  public String toString() {
    return "$ " + String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + out
        + "--- stderr\n" + err + "---";
  }
}
