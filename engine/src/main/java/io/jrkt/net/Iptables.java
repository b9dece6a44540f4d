package io.jrkt.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the host's {@code iptables} tools (whichever backend they use) and collects the outcome. */
final class Iptables {
  /** An exit code and the tool's stdout and stderr together. */
  record Outcome(int code, String output) {}

  private Iptables() {}

  /** {@code iptables -w -t nat ARGS...}. */
  static Outcome nat(String... args) throws NetException {
    List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", "nat"));
    argv.addAll(List.of(args));
    return run(argv, null);
  }

  /** {@code iptables-restore -w --noflush} with {@code script} on stdin: one transaction. */
  static Outcome restore(String script) throws NetException {
    return startRestore(script).await();
  }

  /** As {@link #restore}, started; {@link Running#await} collects the outcome. */
  static Running startRestore(String script) throws NetException {
    return start(List.of("iptables-restore", "-w", "--noflush"), script);
  }

  private static Outcome run(List<String> argv, String stdin) throws NetException {
    return start(argv, stdin).await();
  }

  /** A started tool. */
  static final class Running {
    private final Process process;
    private final List<String> argv;

    private Running(Process process, List<String> argv) {
      this.process = process;
      this.argv = argv;
    }

    Outcome await() throws NetException {
      try {
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(process.waitFor(), out.trim());
      } catch (IOException e) {
        throw new NetException("cannot read the output of " + argv.get(0) + ": "
            + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NetException("interrupted while running " + String.join(" ", argv), e);
      }
    }
  }

  private static Running start(List<String> argv, String stdin) throws NetException {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      return new Running(p, argv);
    } catch (IOException e) {
      throw new NetException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }
}
