package io.jrkt.tests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Drives the built {@code bin/jrkt} against a private data directory. One instance per test
 * class: it owns a temp directory ({@code data/} is the {@code --dir}, {@code work/} holds
 * images and output) and, on close, collects its pods and removes that directory, without
 * crossing into any mount it did not find under it.
 */
final class Jrkt implements AutoCloseable {
  /** Selects the fly stage1, as the issue's examples do. */
  static final String FLY = "--stage1-name=coreos.com/rkt/stage1-fly";
  static final String INSECURE = "--insecure-options=image";
  static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Path launcher;
  private final Path root;
  private final Path data;
  private final Path work;
  private final AtomicInteger outputs;
  /** Put before the launcher, e.g. nsenter into a test node's namespaces; empty by default. */
  private final List<String> prefix;

  private Jrkt(Path launcher, Path root, List<String> prefix) {
    this(launcher, root, prefix, new AtomicInteger());
  }

  private Jrkt(Path launcher, Path root, List<String> prefix, AtomicInteger outputs) {
    this.launcher = launcher;
    this.root = root;
    this.data = root.resolve("data");
    this.work = root.resolve("work");
    this.prefix = List.copyOf(prefix);
    this.outputs = outputs;
  }

  /**
   * The same harness (data and work directories) with its commands run behind another
   * {@code prefix}. Only the original is closed.
   */
  Jrkt behind(List<String> otherPrefix) {
    return new Jrkt(launcher, root, otherPrefix, outputs);
  }

  /**
   * A harness whose temp dir is under {@code parent} and whose commands run behind
   * {@code prefix} (a test node's {@code nsenter}): the node has its own /tmp.
   */
  static Jrkt create(Class<?> testClass, Path parent, List<String> prefix) {
    Path launcher = checkedLauncher();
    try {
      Files.createDirectories(parent);
      Path root = Files.createTempDirectory(parent, "jrkt-ft-" + testClass.getSimpleName()
          + "-");
      Jrkt j = new Jrkt(launcher, root, prefix);
      Files.createDirectories(j.work);
      return j;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  Path launcher() {
    return launcher;
  }

  /** Checks the preconditions (root, a built launcher, busybox) and makes the temp dir. */
  static Jrkt create(Class<?> testClass) {
    Path launcher = checkedLauncher();
    try {
      Path root = Files.createTempDirectory("jrkt-ft-" + testClass.getSimpleName() + "-");
      Jrkt j = new Jrkt(launcher, root, List.of());
      Files.createDirectories(j.work);
      return j;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path checkedLauncher() {
    String binProperty = System.getProperty("jrkt.bin", "");
    if (binProperty.isBlank() || binProperty.contains("${")) {
      throw new IllegalStateException("system property jrkt.bin (the directory of the built "
          + "jrkt launcher) is not set");
    }
    Path launcher = Path.of(binProperty).toAbsolutePath().resolve("jrkt");
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher + " is missing; build first (make build)");
    }
    if (euid() != 0) {
      throw new IllegalStateException("the functional tests run pods and must run as root");
    }
    if (!Files.isExecutable(Aci.BUSYBOX)) {
      throw new IllegalStateException(Aci.BUSYBOX + " is missing (install busybox-static)");
    }
    return launcher;
  }

  Path data() {
    return data;
  }

  Path work() {
    return work;
  }

  Path bin() {
    return launcher.getParent();
  }

  /** Runs {@code jrkt --dir=DATA ARGS...} to completion. */
  Result run(String... args) {
    return run(List.of(args));
  }

  Result run(List<String> args) {
    return start(args).await(TIMEOUT);
  }

  /** Starts {@code jrkt --dir=DATA ARGS...}; stdin is /dev/null, output goes to files. */
  Running start(List<String> args) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(launcher.toString());
    cmd.add("--dir=" + data);
    cmd.addAll(args);
    int n = outputs.incrementAndGet();
    Path out = work.resolve("out-" + n);
    Path err = work.resolve("err-" + n);
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectInput(new File("/dev/null"))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      return new Running(cmd, p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A started jrkt process. */
  static final class Running {
    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;

    Running(List<String> command, Process process, Path out, Path err) {
      this.command = command;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    Process process() {
      return process;
    }

    /** Where its stdout goes, to watch a long-running command's output. */
    Path outFile() {
      return out;
    }

    /** Where the process's stderr goes (read it while the process runs). */
    Path errFile() {
      return err;
    }

    /** SIGKILL, as `kill -9` does; children that were exec'd from it are the same process. */
    Result kill9() {
      process.destroyForcibly();
      return await(TIMEOUT);
    }

    Result await(Duration timeout) {
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError("timed out after " + timeout + ": " + String.join(" ",
              command) + "\nstdout: " + read(out) + "\nstderr: " + read(err));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      return new Result(command, process.exitValue(), read(out), read(err));
    }
  }

  // ---- common steps ----

  /** Fetches an image file; returns the printed (short) image ID. */
  String fetch(Path aci) {
    Result r = run(INSECURE, "fetch", aci.toString()).ok();
    if (r.lines().size() != 1) {
      throw new AssertionError("fetch should print one line:\n" + r);
    }
    return r.lines().get(0);
  }

  /** {@code run} with the fly stage1 that saves the pod UUID; returns the result and UUID. */
  PodRun runPod(List<String> args) {
    Path uuidFile = work.resolve("uuid-" + outputs.incrementAndGet());
    List<String> cmd = new ArrayList<>(List.of(INSECURE, "run", FLY, "--uuid-file-save="
        + uuidFile));
    cmd.addAll(args);
    Result r = run(cmd);
    String uuid = Files.exists(uuidFile) ? read(uuidFile).trim() : null;
    return new PodRun(r, uuid);
  }

  record PodRun(Result result, String uuid) {
    String requireUuid() {
      if (uuid == null || !Ids.isUuid(uuid)) {
        throw new AssertionError("no pod UUID saved (--uuid-file-save):\n" + result);
      }
      return uuid;
    }
  }

  /** {@code prepare --quiet} with the fly stage1; returns the printed UUID. */
  String prepare(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(INSECURE, "prepare", "--quiet", FLY));
    cmd.addAll(args);
    Result r = run(cmd).ok();
    if (r.lines().size() != 1 || !Ids.isUuid(r.lines().get(0))) {
      throw new AssertionError("prepare --quiet should print only the pod UUID:\n" + r);
    }
    return r.lines().get(0);
  }

  /** Pods of this data dir that still record a netns or CNI calls to undo. */
  List<String> podsWithNetworkRecords() {
    return podDirs().stream().filter(d -> {
      Path p = data.resolve("pods").resolve(d);
      return Files.exists(p.resolve("netns")) || Files.isDirectory(p.resolve("net"));
    }).toList();
  }

  /** Every pod directory, as "state/uuid". */
  List<String> podDirs() {
    Path pods = data.resolve("pods");
    if (!Files.isDirectory(pods)) {
      return List.of();
    }
    try (Stream<Path> states = Files.list(pods)) {
      List<String> all = new ArrayList<>();
      for (Path state : states.sorted().toList()) {
        if (Files.isDirectory(state)) {
          try (Stream<Path> uuids = Files.list(state)) {
            uuids.sorted().forEach(u -> all.add(state.getFileName() + "/" + u.getFileName()));
          }
        }
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The image store and pods directory as a sorted list of paths with file sizes, leaving out
   * lock files and the store's scratch directory, which a failed command may legitimately touch.
   */
  List<String> snapshot() {
    if (!Files.isDirectory(data)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(data)) {
      return all.filter(p -> !p.equals(data))
          .map(p -> {
            String rel = data.relativize(p).toString();
            long size = Files.isRegularFile(p) && !Files.isSymbolicLink(p) ? size(p) : -1;
            return size >= 0 ? rel + " " + size : rel;
          })
          .filter(s -> !s.startsWith("cas/tmp") && !s.contains("locks/") && !s.endsWith("locks")
              && !s.matches(".*\\.(lck|lock)( \\d+)?$"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -2;
    }
  }

  /** Mount points at or below this harness's temp directory, deepest first. */
  List<String> mountsBelowRoot() {
    List<String> mine = new ArrayList<>();
    String prefix = root.toString() + "/";
    for (String line : read(Path.of("/proc/self/mountinfo")).split("\n")) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        String point = unescapeMountPath(f[4]);
        if (point.startsWith(prefix) || point.equals(root.toString())) {
          mine.add(point);
        }
      }
    }
    mine.sort(Comparator.comparingInt(String::length).reversed());
    return mine;
  }

  private static String unescapeMountPath(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Collects every pod of this data dir, then removes the temp dir. Mounts left below it
   * (pods' mounts that gc should have removed) are detached first and then reported.
   */
  @Override
  public void close() {
    if (Files.isDirectory(data)) {
      // gc skips running pods; a pod still running here (a test failed or timed out) is stopped
      // first, so that deleting the temp dir never pulls files from under live processes.
      Path running = data.resolve("pods/run");
      if (Files.isDirectory(running)) {
        try (java.util.stream.Stream<Path> pods = Files.list(running)) {
          boolean stopped = false;
          for (Path pod : (Iterable<Path>) pods::iterator) {
            stopped |= run("stop", "--force", pod.getFileName().toString()).out().contains("\"");
          }
          if (stopped) {
            sleepQuietly(500);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      run("gc", "--grace-period=0s", "--expire-prepared=0s");
      List<String> networked = podsWithNetworkRecords();
      if (!networked.isEmpty()) {
        // Deleting them would orphan their netns, addresses and rules: kept for a human's gc.
        throw new AssertionError("pods with network records are left after gc in " + data
            + " (not removed): " + networked);
      }
    }
    List<String> leftovers = mountsBelowRoot();
    for (String m : leftovers) {
      exec(List.of("umount", "-l", m));
    }
    exec(List.of("rm", "-rf", "--one-file-system", root.toString()));
    if (!leftovers.isEmpty()) {
      throw new AssertionError("mounts were left under the test's data dir after gc: "
          + leftovers);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a host tool (not jrkt) and returns its exit code. */
  static int exec(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int euid() {
    for (String line : read(Path.of("/proc/self/status")).split("\n")) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(Arrays.stream(line.substring(4).trim().split("\\s+"))
            .skip(1).findFirst().orElse("-1"));
      }
    }
    return -1;
  }
}
